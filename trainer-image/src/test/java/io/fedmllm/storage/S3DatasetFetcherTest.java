package io.fedmllm.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.storage.S3DatasetFetcher.S3Location;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The fetcher's pure parts: URIs, which keys belong to a prefix, the size limit. */
class S3DatasetFetcherTest {

  @Test
  void uriSplitsIntoBucketAndPrefix() throws IOException {
    assertEquals(new S3Location("data-lake", "datasets/hm/"), S3Location.parse("s3://data-lake/datasets/hm/"));
    assertEquals(new S3Location("data-lake", ""), S3Location.parse("s3://data-lake"));
    assertEquals(new S3Location("data-lake", ""), S3Location.parse("s3://data-lake/"));
    assertThrows(IOException.class, () -> S3Location.parse("https://data-lake/x"));
    assertThrows(IOException.class, () -> S3Location.parse("s3://Bad_Bucket/x"));
  }

  @Test
  void aPrefixIsAFolderAndSiblingsWithTheSameStartAreNotPartOfIt() {
    S3Location folder = new S3Location("b", "datasets/hm");
    assertEquals(Optional.of("train.jsonl"), folder.pathOf("datasets/hm/train.jsonl"));
    assertEquals(Optional.of("img/1.png"), folder.pathOf("datasets/hm/img/1.png"));
    assertEquals(Optional.empty(), folder.pathOf("datasets/hm2/train.jsonl"), "a sibling folder");
    assertEquals(Optional.empty(), folder.pathOf("datasets/hm.tar"), "a sibling object");

    S3Location slash = new S3Location("b", "datasets/hm/");
    assertEquals(Optional.of("img/1.png"), slash.pathOf("datasets/hm/img/1.png"));
    assertFalse(slash.namesObject("datasets/hm/"));

    S3Location object = new S3Location("b", "datasets/hm/train.jsonl");
    assertTrue(object.namesObject("datasets/hm/train.jsonl"));
    assertEquals(Optional.of("train.jsonl"), object.pathOf("datasets/hm/train.jsonl"));

    assertEquals(Optional.of("a/b"), new S3Location("b", "").pathOf("a/b"), "the whole bucket");
  }

  @Test
  void sizeLimitDefaultsTo20GiBAndIsRaisedByTheEnvironment() {
    assertEquals(20L << 30, S3DatasetFetcher.limitFrom(Map.of()));
    assertEquals(50L << 30, S3DatasetFetcher.limitFrom(Map.of(S3DatasetFetcher.LIMIT_ENV, "50G")));
    assertEquals(512L << 20, S3DatasetFetcher.parseSize("512MiB"));
    assertEquals(3L << 40, S3DatasetFetcher.parseSize("3 TB"));
    assertEquals(2L << 10, S3DatasetFetcher.parseSize("2k"));
    assertEquals(1048576, S3DatasetFetcher.parseSize("1048576"));
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> S3DatasetFetcher.limitFrom(Map.of(S3DatasetFetcher.LIMIT_ENV, "lots")));
    assertEquals("FEDMLLM_S3_DATA_LIMIT: 'lots' is not a positive size such as 20G, 512M or 1048576",
        bad.getMessage());
    assertThrows(IllegalArgumentException.class, () -> S3DatasetFetcher.parseSize("0"));
    assertThrows(IllegalArgumentException.class, () -> S3DatasetFetcher.parseSize("-5G"));
    assertThrows(IllegalArgumentException.class, () -> S3DatasetFetcher.parseSize("99999999999T"));
  }

  @Test
  void sizesAreWrittenForPeople() {
    assertEquals("512 B", S3DatasetFetcher.human(512));
    assertEquals("1.5 KiB", S3DatasetFetcher.human(1536));
    assertEquals("20.0 GiB", S3DatasetFetcher.human(20L << 30));
  }
}
