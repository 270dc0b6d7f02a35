package smptrace.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Records each test into its own trace under {@code target/smptrace/<class>/<test>/}, analyses it when
 * the test ends and fails the test with the findings (kind, both accesses with their sites, the
 * witness) unless they are declared {@link #expect() expected}. On a class: every test of it; on a
 * method: that test (the method's annotation wins). A trace in which nothing was recorded fails the
 * test too: nothing was checked.
 *
 * <p>The agent is attached on first use (see {@link Smptrace#attach()}); under Surefire nothing needs
 * to change. With {@code -javaagent:.../smptrace-agent.jar=batch=true} in the argLine the JVM's own
 * agent is used.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(SmptraceExtension.class)
public @interface RecordTrace {
    /**
     * Findings the test expects, as finding kinds ({@code "data-race"}) or kind:rule
     * ({@code "data-race:wr-race"}); the test fails if an expected one is missing, and on any other.
     */
    String[] expect() default {};
}
