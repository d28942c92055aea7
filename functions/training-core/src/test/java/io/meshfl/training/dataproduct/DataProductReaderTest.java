package io.meshfl.training.dataproduct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshfl.training.SyntheticDataProduct;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataProductReaderTest {

    private static final DataProductSchema SCHEMA = new DataProductSchema(List.of(
            new Column("age", ColumnType.INTEGER),
            new Column("member", ColumnType.BOOLEAN),
            new Column("spend", ColumnType.NUMBER),
            new Column("churned", ColumnType.INTEGER)), "churned");

    private final DataProductReader reader = new DataProductReader(1);

    @TempDir
    Path dir;

    @Test
    void readsFeaturesInSchemaOrderAndLabelsFromCsv() throws IOException {
        // Prepare: the file's columns in another order than the schema's, one extra column, quoting.
        Path csv = Files.writeString(dir.resolve("p.csv"), """
                spend,note,churned,age,member
                12.5,"a, quoted note",1,30,true
                0,plain,0,41,false
                """);

        // Execute
        TabularData data = read(csv, DataProductFormat.CSV, new Target.ClassIndices(2));

        // Assert
        assertThat(data.featureNames()).containsExactly("age", "member", "spend");
        assertThat(data.features()).containsExactly(30, 1, 12.5f, 41, 0, 0);
        assertThat(data.labels()).containsExactly(1, 0);
    }

    @Test
    void readsParquetToTheSameValuesAsCsv() {
        SyntheticDataProduct product = SyntheticDataProduct.classification(50, 4, 7);
        DataProductSchema schema = product.schema(ColumnType.INTEGER);
        Target target = new Target.ClassIndices(2);

        TabularData fromCsv = reader.read(new DataProductFile("p", product.writeCsv(dir.resolve("p.csv")),
                DataProductFormat.CSV), schema, target);
        TabularData fromParquet = reader.read(new DataProductFile("p",
                product.writeParquet(dir.resolve("p.parquet"), "BIGINT"), DataProductFormat.PARQUET), schema, target);

        assertThat(fromParquet.rows()).isEqualTo(50);
        assertThat(fromParquet.features()).containsExactly(fromCsv.features());
        assertThat(fromParquet.labels()).containsExactly(fromCsv.labels());
    }

    @Test
    void mapsDeclaredCategoriesToClassIndices() throws IOException {
        Path csv = Files.writeString(dir.resolve("p.csv"), "x,species\n1,virginica\n2,setosa\n3,versicolor\n");
        Column label = new Column("species", ColumnType.STRING, List.of("setosa", "versicolor", "virginica"));
        DataProductSchema schema = new DataProductSchema(List.of(new Column("x", ColumnType.NUMBER), label), "species");

        TabularData data = reader.read(new DataProductFile("iris", csv, DataProductFormat.CSV), schema,
                Target.classes(label, 3));

        assertThat(data.labels()).containsExactly(2, 0, 1);
    }

    @Test
    void readsARegressionTarget() throws IOException {
        Path csv = Files.writeString(dir.resolve("p.csv"), "x,y\n1,-0.25\n2,1e3\n");
        DataProductSchema schema = new DataProductSchema(
                List.of(new Column("x", ColumnType.NUMBER), new Column("y", ColumnType.NUMBER)), "y");

        TabularData data = reader.read(new DataProductFile("p", csv, DataProductFormat.CSV), schema,
                new Target.Continuous());

        assertThat(data.labels()).containsExactly(-0.25f, 1000f);
    }

    @Test
    void refusesADataProductMissingASchemaColumn() throws IOException {
        Path csv = Files.writeString(dir.resolve("p.csv"), "age,member,churned\n30,true,1\n");

        assertThatThrownBy(() -> read(csv, DataProductFormat.CSV, new Target.ClassIndices(2)))
                .isInstanceOf(DataProductException.class)
                .hasMessageContaining("data product 'customers' is missing schema column 'spend'");
    }

    @Test
    void refusesALabelClassTheModelDoesNotKnow() throws IOException {
        Path csv = Files.writeString(dir.resolve("p.csv"), "age,member,spend,churned\n30,true,1,1\n31,false,2,2\n");

        assertThatThrownBy(() -> read(csv, DataProductFormat.CSV, new Target.ClassIndices(2)))
                .isInstanceOf(DataProductException.class)
                .hasMessageContaining("row 2: column 'churned' (the label) has class '2'")
                .hasMessageContaining("classes are 0..1");
    }

    @Test
    void refusesAnUndeclaredCategory() throws IOException {
        Path csv = Files.writeString(dir.resolve("p.csv"), "x,species\n1,setosa\n2,daisy\n");
        Column label = new Column("species", ColumnType.STRING, List.of("setosa", "versicolor"));
        DataProductSchema schema = new DataProductSchema(List.of(new Column("x", ColumnType.NUMBER), label), "species");

        assertThatThrownBy(() -> reader.read(new DataProductFile("iris", csv, DataProductFormat.CSV), schema,
                Target.classes(label, 2)))
                .hasMessageContaining("row 2: column 'species' (the label) has class 'daisy'");
    }

    @Test
    void refusesAnEmptyFileAndAHeaderWithoutRows() throws IOException {
        Path empty = Files.write(dir.resolve("empty.csv"), new byte[0]);
        Path headerOnly = Files.writeString(dir.resolve("header.csv"), "age,member,spend,churned\n");

        assertThatThrownBy(() -> read(empty, DataProductFormat.CSV, new Target.ClassIndices(2)))
                .isInstanceOf(DataProductException.class)
                .hasMessageContaining("'customers' is empty");
        assertThatThrownBy(() -> read(headerOnly, DataProductFormat.CSV, new Target.ClassIndices(2)))
                .isInstanceOf(DataProductException.class)
                .hasMessageContaining("'customers' is empty: it has no rows");
    }

    @Test
    void refusesAValueThatIsNotANumberOrMissing() throws IOException {
        Path text = Files.writeString(dir.resolve("text.csv"), "age,member,spend,churned\n30,true,lots,1\n");
        Path missing = Files.writeString(dir.resolve("missing.csv"), "age,member,spend,churned\n30,,1,1\n");

        assertThatThrownBy(() -> read(text, DataProductFormat.CSV, new Target.ClassIndices(2)))
                .hasMessageContaining("row 1: column 'spend' has 'lots', not a finite number");
        assertThatThrownBy(() -> read(missing, DataProductFormat.CSV, new Target.ClassIndices(2)))
                .hasMessageContaining("row 1: column 'member' has no value");
    }

    @Test
    void refusesAFileThatIsNotParquet() throws IOException {
        Path bogus = Files.writeString(dir.resolve("p.parquet"), "age,member,spend,churned\n30,true,1,1\n");

        assertThatThrownBy(() -> read(bogus, DataProductFormat.PARQUET, new Target.ClassIndices(2)))
                .isInstanceOf(DataProductException.class)
                .hasMessageContaining("data product 'customers' could not be read as parquet");
    }

    @Test
    void readsOnlyNumericAndBooleanColumnsAsFeatures() throws IOException {
        Path csv = Files.writeString(dir.resolve("p.csv"), "id,day,x,y\nc-1,2026-01-01,4.5,0\n");
        DataProductSchema schema = new DataProductSchema(List.of(new Column("id", ColumnType.of("string")),
                new Column("day", ColumnType.of("date")), new Column("x", ColumnType.of("number")),
                new Column("y", ColumnType.of("integer"))), "y");

        TabularData data = reader.read(new DataProductFile("p", csv, DataProductFormat.CSV), schema,
                new Target.ClassIndices(2));

        assertThat(data.featureNames()).containsExactly("x");
        assertThat(data.features()).containsExactly(4.5f);
    }

    @Test
    void refusesASchemaWhoseLabelIsNotAColumnOrAnUnknownType() {
        assertThatThrownBy(() -> new DataProductSchema(List.of(new Column("x", ColumnType.NUMBER)), "y"))
                .hasMessageContaining("label column 'y' is not among the schema's columns");
        assertThatThrownBy(() -> ColumnType.of("uuid"))
                .hasMessageContaining("unknown logical type 'uuid'");
    }

    @Test
    void refusesCategoriesThatDoNotMatchTheModelsClasses() {
        Column label = new Column("species", ColumnType.STRING, List.of("setosa", "versicolor", "virginica"));

        assertThatThrownBy(() -> Target.classes(label, 2))
                .hasMessageContaining("declares 3 categories")
                .hasMessageContaining("model has 2 classes");
        assertThatThrownBy(() -> Target.classes(new Column("species", ColumnType.STRING), 2))
                .hasMessageContaining("declares no categories");
    }

    private TabularData read(Path file, DataProductFormat format, Target target) {
        return reader.read(new DataProductFile("customers", file, format), SCHEMA, target);
    }
}
