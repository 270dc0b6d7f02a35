package smptrace.kernel;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The kernel code an engine member mirrors, machine-readable (reports print it; a test checks it
 * against the seeds' hunks): the kernel function or variable, its source file, and the seed hunks
 * that change it, each as {@code "SEED:-START,LEN"}, the pre-image range exactly as the seed's
 * {@code @@ -START,LEN ...} header gives it (line numbers of that seed's own tree).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.FIELD, ElementType.CONSTRUCTOR})
public @interface Mirrors {
    /** The kernel function (or variable) of the same name. */
    String value();

    /** Its source file in the kernel tree. */
    String file() default "kernel/smp.c";

    /** The seed hunks that change it: {@code "003:-858,15"}. */
    String[] hunks() default {};
}
