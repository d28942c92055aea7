package io.meshfl.mesh.cli;

import io.meshfl.core.safetensors.SafetensorsFormatException;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.TensorInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code meshfl inspect FILE}: what a safetensors file holds, without loading it whole. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a safetensors file's tensors (dtype, shape), metadata, parameter count and L2 norm.")
public class InspectCommand implements Callable<Integer> {

    private static final int CHUNK = 1 << 16;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "the .safetensors file")
    Path file;

    @Option(names = "--max-header-bytes", defaultValue = "16777216", description = "largest header accepted (default: ${DEFAULT-VALUE})")
    long maxHeaderBytes;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (SafetensorsReader reader = SafetensorsReader.open(file, maxHeaderBytes)) {
            out.println(file);
            out.printf("  header: %d tensors, data %d bytes%n", reader.header().tensors().size(), reader.header().dataLength());
            Map<String, String> metadata = new TreeMap<>(reader.metadata());
            if (!metadata.isEmpty()) {
                out.println("  metadata:");
                metadata.forEach((key, value) -> out.printf("    %s = %s%n", key, value));
            }
            out.println("  tensors:");
            double squares = 0;
            float[] chunk = new float[CHUNK];
            for (TensorInfo tensor : reader.header().tensors()) {
                double tensorSquares = 0;
                if (tensor.dtype().isFloatingPoint()) {
                    for (long from = 0; from < tensor.elementCount(); from += CHUNK) {
                        int length = (int) Math.min(CHUNK, tensor.elementCount() - from);
                        reader.readFloats(tensor.name(), from, chunk, 0, length);
                        for (int i = 0; i < length; i++) {
                            tensorSquares += (double) chunk[i] * chunk[i];
                        }
                    }
                    squares += tensorSquares;
                }
                out.printf("    %-40s %-5s %-20s %12d  %s%n", tensor.name(), tensor.dtype(), tensor.spec().shape(),
                        tensor.elementCount(), tensor.dtype().isFloatingPoint() ? "norm " + Math.sqrt(tensorSquares) : "");
            }
            out.printf("  parameters: %d%n", reader.manifest().parameterCount());
            out.printf("  L2 norm (floating tensors): %s%n", Math.sqrt(squares));
            out.printf("  sha256 of data: %s%n", reader.dataSha256());
            out.flush();
            return 0;
        } catch (SafetensorsFormatException e) {
            return CliErrors.fail(spec, "not a valid safetensors file: " + e.getMessage());
        } catch (NoSuchFileException e) {
            return CliErrors.fail(spec, "no such file: " + file);
        } catch (IOException e) {
            return CliErrors.fail(spec, "cannot read " + file + ": " + e);
        }
    }
}
