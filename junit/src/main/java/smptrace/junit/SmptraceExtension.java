package smptrace.junit;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import smptrace.analysis.AnalysisResult;
import smptrace.analysis.Finding;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JUnit 5 side of {@link RecordTrace}: a trace per test, opened in beforeEach (extensions run
 * before the user's @BeforeEach methods, so those are recorded too) and closed and analysed in
 * afterEach. The directory root is {@code -Dsmptrace.junit.dir}, default {@code target/smptrace} of
 * the working directory (the module's directory under Maven).
 */
public final class SmptraceExtension implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SmptraceExtension.class);

    /** Where the test's trace goes: ROOT/class name/method name (parameterised tests: plus the display name). */
    static Path traceDir(ExtensionContext c) {
        String root = System.getProperty("smptrace.junit.dir", "target/smptrace");
        String cls = c.getRequiredTestClass().getName();
        String test = c.getRequiredTestMethod().getName();
        String display = c.getDisplayName();
        if (!display.equals(test + "()") && !display.startsWith(test + "(")) {
            test = test + "-" + display.replaceAll("[^A-Za-z0-9._=-]+", "_");
        }
        return Paths.get(root, cls, test);
    }

    @Override
    public void beforeEach(ExtensionContext c) {
        Path dir = traceDir(c);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("junit.class", c.getRequiredTestClass().getName());
        h.put("junit.test", c.getRequiredTestMethod().getName());
        h.put("junit.display", c.getDisplayName());
        Smptrace.begin(dir, h);
        c.getStore(NS).put("dir", dir);
    }

    @Override
    public void afterEach(ExtensionContext c) throws Exception {
        Path dir = c.getStore(NS).remove("dir", Path.class);
        if (dir == null) {
            return;
        }
        Smptrace.end();
        if (c.getExecutionException().isPresent()) {
            return; // the test failed on its own: that failure is the news
        }
        AnalysisResult r = Smptrace.analyze(dir);
        String[] expect = expected(c);
        if (r.checkedNothing()) {
            throw new AssertionError("smptrace: nothing was checked in " + dir + ": no memory access was recorded (" + r.recorded()
                    + "). The code under test is not in the agent's scope: by default the classes of class-path directories"
                    + " are; set -Dsmptrace.include=PREFIX:PREFIX for others.");
        }
        List<Finding> unexpected = new ArrayList<>();
        List<String> missing = new ArrayList<>(List.of(expect));
        for (Finding f : r.problems()) {
            String matched = null;
            for (String e : expect) {
                if (matches(e, f)) {
                    matched = e;
                    break;
                }
            }
            if (matched == null) {
                unexpected.add(f);
            } else {
                missing.remove(matched);
            }
        }
        if (!unexpected.isEmpty() || !missing.isEmpty()) {
            StringBuilder m = new StringBuilder("smptrace: ");
            if (!unexpected.isEmpty()) {
                m.append(unexpected.size()).append(" unexpected finding(s)");
                for (Finding f : unexpected) {
                    m.append(unexpected.size() == 1 ? ": " : "\n  - ").append(f.kind.id).append(':').append(f.rule);
                }
            }
            if (!missing.isEmpty()) {
                m.append(unexpected.isEmpty() ? "" : "; ").append("expected but not found: ").append(String.join(", ", missing));
            }
            m.append("\ntrace: ").append(dir.toAbsolutePath()).append("\n\n").append(Smptrace.text(r, dir));
            throw new AssertionError(m.toString());
        }
    }

    private static boolean matches(String expect, Finding f) {
        int colon = expect.indexOf(':');
        String kind = colon < 0 ? expect : expect.substring(0, colon);
        String rule = colon < 0 ? null : expect.substring(colon + 1);
        return f.kind.id.equals(kind) && (rule == null || rule.equals(f.rule));
    }

    private static String[] expected(ExtensionContext c) {
        Method m = c.getRequiredTestMethod();
        RecordTrace a = m.getAnnotation(RecordTrace.class);
        if (a == null) {
            for (Class<?> k = c.getRequiredTestClass(); k != null && a == null; k = k.getEnclosingClass()) {
                a = k.getAnnotation(RecordTrace.class);
            }
        }
        return a == null ? new String[0] : a.expect();
    }
}
