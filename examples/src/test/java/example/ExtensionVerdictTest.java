package example;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** Runs MessagePassingCases: the racy test must fail with its data race, the fixed one pass. */
class ExtensionVerdictTest {
    @Test
    void racyTestFailsWithItsFindingAndFixedTestPasses() {
        Map<String, TestExecutionResult> results = new HashMap<>();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(MessagePassingCases.class)).build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult r) {
                        if (id.isTest()) {
                            results.put(id.getDisplayName(), r);
                        }
                    }
                });
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, results.get("fixed()").getStatus(), String.valueOf(results.get("fixed()")));
        TestExecutionResult racy = results.get("racy()");
        assertEquals(TestExecutionResult.Status.FAILED, racy.getStatus());
        String msg = racy.getThrowable().map(Throwable::getMessage).orElse("");
        assertTrue(msg.contains("data-race") && msg.contains("Mailbox") && msg.contains("MessagePassingCases.java:"), msg);
    }
}
