package dev.vepconnector.storage;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Work that must only happen once the current transaction has committed (in-memory views, wake-ups). */
public final class AfterCommit {

    private AfterCommit() {
    }

    /** Runs the action after the current transaction commits (never if it rolls back); at once outside a transaction. */
    public static void run(Runnable action) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    action.run();
                }
            });
        } else {
            action.run();
        }
    }
}
