package io.github.crosswordhelper.wasm;

/** How a component's Wasm code runs on the JVM. */
public enum ExecutionMode {
    /** JVM bytecode generated at build time by chicory-compiler-maven-plugin: the built-in components. */
    BUILD_TIME_COMPILED,
    /** Wasm compiled to JVM bytecode when the component is loaded: user components, the default. */
    RUNTIME_COMPILED,
    /** Chicory's interpreter: slowest, no class generation. */
    INTERPRETED
}
