package io.meshfl.mesh.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDatasetReaderTest {

    @TempDir
    Path dir;

    private final CsvDatasetReader reader = new CsvDatasetReader();

    private Path csv(String text) throws Exception {
        Path file = dir.resolve("data.csv");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void readsNumericFeaturesAndEncodesTheLabelBySortedClassName() throws Exception {
        Path file = csv("""
                sepal,species,petal
                5.1,setosa,1.4
                6.3,virginica,6.0
                5.9, versicolor ,4.2
                """);

        TabularDataset data = reader.read(file, "species");

        assertThat(data.featureNames()).containsExactly("sepal", "petal");
        assertThat(data.labelName()).isEqualTo("species");
        assertThat(data.classes()).containsExactly("setosa", "versicolor", "virginica");
        assertThat(data.labels()).containsExactly(0, 2, 1);
        assertThat(data.features()[2]).containsExactly(5.9f, 4.2f);
    }

    @Test
    void whatTheWriterWritesTheReaderReadsBack() throws Exception {
        TabularDataset original = new GaussianMixtureGenerator(40, 3, 2, 1, 2.0).generate(5);
        Path file = dir.resolve("round-trip.csv");

        new CsvDatasetWriter(CsvDatasetWriter.LabelEncoding.NAMES).write(original, file);
        TabularDataset read = reader.read(file, "label");

        assertThat(read.featureNames()).isEqualTo(original.featureNames());
        assertThat(read.classes()).isEqualTo(original.classes());
        assertThat(read.labels()).isEqualTo(original.labels());
        assertThat(read.features()).isDeepEqualTo(original.features());
    }

    @Test
    void aMissingLabelColumnIsNamedWithTheColumnsThereAre() throws Exception {
        Path file = csv("a,b\n1,x\n2,y\n");

        assertThatThrownBy(() -> reader.read(file, "class")).isInstanceOf(DatasetException.class)
                .hasMessageContaining("--label class").hasMessageContaining("[a, b]");
    }

    @Test
    void aNonNumericFeatureIsNamedWithItsLineAndColumn() throws Exception {
        Path file = csv("a,b,y\n1,2,x\n3,oops,y\n");

        assertThatThrownBy(() -> reader.read(file, "y")).isInstanceOf(DatasetException.class)
                .hasMessageContaining("line 3").hasMessageContaining("column b").hasMessageContaining("'oops'");
    }

    @Test
    void anEmptyFeatureValueIsRefused() throws Exception {
        Path file = csv("a,y\n1,x\n,y\n");

        assertThatThrownBy(() -> reader.read(file, "y")).isInstanceOf(DatasetException.class)
                .hasMessageContaining("column a");
    }

    @Test
    void aLabelWithOneClassIsRefused() throws Exception {
        Path file = csv("a,y\n1,x\n2,x\n");

        assertThatThrownBy(() -> reader.read(file, "y")).isInstanceOf(DatasetException.class)
                .hasMessageContaining("at least 2");
    }

    @Test
    void aRowWithTooFewFieldsIsNamed() throws Exception {
        Path file = csv("a,b,y\n1,2,x\n3,y\n");

        assertThatThrownBy(() -> reader.read(file, "y")).isInstanceOf(DatasetException.class)
                .hasMessageContaining("line 3").hasMessageContaining("2 fields");
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> reader.read(dir.resolve("nope.csv"), "y")).isInstanceOf(DatasetException.class)
                .hasMessageContaining("nope.csv");
    }
}
