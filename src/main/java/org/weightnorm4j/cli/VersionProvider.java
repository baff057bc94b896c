package org.weightnorm4j.cli;

import org.weightnorm4j.tensor.KernelProvider;
import picocli.CommandLine;

/** Prints the library version, the JVM and the kernel backend in use. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {
                "weightnorm4j " + (version == null ? "(development build)" : version),
                "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                "kernels: " + KernelProvider.float32().name(),
        };
    }
}
