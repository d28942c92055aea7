package io.meshfl.mesh.demo;

import io.meshfl.mesh.dataset.CsvDatasetReader;
import io.meshfl.mesh.dataset.GaussianMixtureGenerator;
import io.meshfl.mesh.dataset.TabularDataset;

/** The dataset a demo runs on: the user's CSV, or the generated Gaussian mixture. */
public record DemoData(String name, TabularDataset dataset) {

    public static DemoData of(DemoOptions options) {
        if (options.dataset().isPresent()) {
            var file = options.dataset().get();
            String name = file.getFileName().toString().replaceFirst("\\.[^.]*$", "").toLowerCase(java.util.Locale.ROOT)
                    .replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
            return new DemoData(name.isEmpty() ? "dataset" : name, new CsvDatasetReader().read(file, options.label()));
        }
        return new DemoData("gaussian-mixture", GaussianMixtureGenerator.demoDefault().generate(options.seed()));
    }
}
