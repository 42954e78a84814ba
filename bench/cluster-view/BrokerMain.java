import io.archiveguardian.guardian.demo.EmbeddedBroker;
import java.nio.file.Path;

/**
 * A real single-node KRaft broker (the demo's embedded broker) in a process of its own, for
 * benchmarks that measure the sidecar apart from the broker. Prints {@code bootstrap=HOST:PORT}
 * once it serves, then runs until killed. Usage: BrokerMain DATA_DIR
 */
public final class BrokerMain {
    public static void main(String[] args) throws Exception {
        EmbeddedBroker broker = EmbeddedBroker.start(Path.of(args[0]));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
        System.out.println("bootstrap=" + broker.bootstrapServers());
        System.out.flush();
        Thread.currentThread().join();
    }
}
