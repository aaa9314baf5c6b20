import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local, listening on 127.0.0.1 only. Its own command line has no host option: its
 * server (Jetty) listens on every interface, so anyone on the network could read and write the
 * local table. This builds the very server DynamoDB Local's command line builds, from the same
 * arguments, and binds its connector to the loopback address before starting it: no proxy, no
 * extra hop per request; and it exits when the process that started it is gone.
 * infra/local/dynamodb-local.ts compiles it once into node_modules/.cache.
 */
public class DynamoDbLocalOnLoopback {
  private static final String HOST = "127.0.0.1";

  public static void main(String[] args) throws Exception {
    exitWithParent();
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    // The Jetty server DynamoDB Local keeps to itself: a private field of its proxy server.
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    Connector[] connectors = server.getConnectors();
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local's server has no connector to bind to " + HOST);
    for (Connector connector : connectors) {
      if (!(connector instanceof ServerConnector)) throw new IllegalStateException("DynamoDB Local's connector is a " + connector.getClass().getName() + ", which cannot be bound to " + HOST);
      ((ServerConnector) connector).setHost(HOST);
    }
    proxy.start();
    if (!server.isStarted()) System.exit(1);
  }

  /**
   * The process that started this one (the local stack) may die without a word (SIGKILL, a
   * crashed test worker): then nobody would ever stop this server, and it would hold its port,
   * its memory and its data directory. It leaves when its parent does.
   */
  private static void exitWithParent() {
    ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
    if (parent == null) return;
    Thread watchdog = new Thread(() -> {
      while (true) {
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        }
        if (!parent.isAlive()) Runtime.getRuntime().halt(0);
      }
    }, "exit-with-parent");
    watchdog.setDaemon(true);
    watchdog.start();
  }
}
