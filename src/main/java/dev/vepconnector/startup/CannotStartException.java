package dev.vepconnector.startup;

/**
 * The configuration asks for something the connector refuses to run with. The start fails with the
 * message as the one line an operator reads, and the action that fixes it.
 */
public class CannotStartException extends IllegalStateException {

    private final String action;

    public CannotStartException(String message, String action) {
        super(message);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
