package userapp.ext;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** Runs a test class on the JUnit Platform, as a build tool would, and prints one line per test. */
public final class RunTests {
    private RunTests() { }

    public static void main(String[] args) throws Exception {
        LauncherDiscoveryRequest req = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Class.forName(args[0]))).build();
        Launcher l = LauncherFactory.create();
        l.execute(req, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult r) {
                if (id.isTest()) {
                    String msg = r.getThrowable().map(t -> String.valueOf(t.getMessage())).orElse("");
                    System.out.println("RESULT " + id.getDisplayName() + " " + r.getStatus()
                            + (msg.isEmpty() ? "" : " " + msg.replace('\n', '|')));
                }
            }
        });
        System.exit(0);
    }
}
