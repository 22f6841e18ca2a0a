package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Where a dataset split comes from: files on a volume or a local path, an S3 prefix, or the built-in generator.
 */
@ValidationRule(value = CelRules.SYNTHETIC_MATCHES_FORMAT, message = CelRules.SYNTHETIC_MATCHES_FORMAT_MESSAGE)
@ValidationRule(value = CelRules.FILES_ONE_OF, message = CelRules.FILES_ONE_OF_MESSAGE)
@ValidationRule(value = CelRules.SYNTHETIC_READS_NO_FILES, message = CelRules.SYNTHETIC_READS_NO_FILES_MESSAGE)
@ValidationRule(value = CelRules.VOLUME_NEEDS_PATH, message = CelRules.VOLUME_NEEDS_PATH_MESSAGE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DataSourceSpec {

  @JsonPropertyDescription("Layout of the data.")
  @Required
  private DataFormat format;

  @JsonPropertyDescription(
      "File or folder of the dataset: relative to volume when one is named, otherwise a path on the machine "
      + "(fedmllm local resolves it against the manifest's folder).")
  @Size(min = 1, max = 4096)
  private String path;

  @JsonPropertyDescription("The volume path is on.")
  private VolumeSpec volume;

  @JsonPropertyDescription("s3://bucket/prefix holding the dataset, read with the federation's storage credentials.")
  @Pattern(ApiPatterns.S3_URI)
  private String s3;

  @JsonPropertyDescription(
      "Split to read: train, dev, test, or a file name without extension. Absent: train for client data, "
      + "test for evalData.")
  @Pattern("^[A-Za-z0-9_.-]+$")
  private String split;

  @JsonPropertyDescription("Generated data (format synthetic only).")
  private SyntheticDataSpec synthetic;

  public DataFormat getFormat() {
    return format;
  }

  public void setFormat(DataFormat format) {
    this.format = format;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public VolumeSpec getVolume() {
    return volume;
  }

  public void setVolume(VolumeSpec volume) {
    this.volume = volume;
  }

  public String getS3() {
    return s3;
  }

  public void setS3(String s3) {
    this.s3 = s3;
  }

  public String getSplit() {
    return split;
  }

  public void setSplit(String split) {
    this.split = split;
  }

  public SyntheticDataSpec getSynthetic() {
    return synthetic;
  }

  public void setSynthetic(SyntheticDataSpec synthetic) {
    this.synthetic = synthetic;
  }
}
