package dev.vepconnector.sinks;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** {@code vep-sink:<name>}: the records queued for one sink. Consumer only. */
public class VepSinkEndpoint extends DefaultEndpoint {

    private final String sinkName;

    VepSinkEndpoint(String uri, VepSinkComponent component, String sinkName) {
        super(uri, component);
        this.sinkName = sinkName;
    }

    public String getSinkName() {
        return sinkName;
    }

    @Override
    public VepSinkComponent getComponent() {
        return (VepSinkComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("vep-sink:" + sinkName + " is where a sink route starts (from:), not a step (to:)");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        VepSinkConsumer consumer = new VepSinkConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public boolean isSingletonProducer() {
        return false;
    }
}
