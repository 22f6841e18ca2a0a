package io.fedmllm.data;

import io.fedmllm.data.formats.CrisisMmdReader;
import io.fedmllm.data.formats.HatefulMemesReader;
import io.fedmllm.data.formats.JsonlReader;
import io.fedmllm.data.formats.LlavaJsonReader;
import io.fedmllm.data.synthetic.SyntheticSpec;
import io.fedmllm.data.synthetic.SyntheticSplit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The one entry point the command line uses to read a dataset split, whatever its format.
 *
 * <table>
 *   <caption>What {@code path} and {@code split} mean per format</caption>
 *   <tr><th>format</th><th>path</th><th>split</th></tr>
 *   <tr><td>hateful-memes</td><td>dataset folder (with {@code img/}) or a {@code .jsonl} file</td>
 *       <td>file name without {@code .jsonl}: train, dev_seen, test_seen, ...; dev and test mean dev_seen and
 *       test_seen</td></tr>
 *   <tr><td>crisismmd</td><td>dataset root (with {@code data_image/} and {@code crisismmd_datasplit_all/})</td>
 *       <td>train, dev or test</td></tr>
 *   <tr><td>llava</td><td>a {@code .json} file, or a folder with {@code <split>.json}; images relative to its
 *       folder</td><td>file name without {@code .json} (ignored for a file)</td></tr>
 *   <tr><td>jsonl</td><td>a {@code .jsonl} file, or a folder with {@code <split>.jsonl}; images relative to its
 *       folder</td><td>file name without {@code .jsonl} (ignored for a file)</td></tr>
 *   <tr><td>synthetic</td><td>a generator spec, see {@link SyntheticSpec}</td><td>public, pool (or train),
 *       test</td></tr>
 * </table>
 */
public final class DatasetLoader {

  private DatasetLoader() {}

  /**
   * Reads a whole split; fails with {@link DatasetFormatException} on the first bad record, missing or broken image,
   * and on a file without any record (an empty split trains nothing, and must fail before a federation starts).
   */
  public static List<Sample> load(DatasetFormat format, Path path, String split) throws IOException {
    List<Sample> samples = read(format, path, split);
    if (samples.isEmpty()) {
      throw new DatasetFormatException(fileOf(format, path, split), 0, null, "no samples: the file holds no records");
    }
    return samples;
  }

  private static List<Sample> read(DatasetFormat format, Path path, String split) throws IOException {
    return switch (format) {
      case HATEFUL_MEMES -> loadHatefulMemes(path, split);
      case CRISISMMD -> loadCrisisMmd(path, split);
      case LLAVA -> {
        Path file = splitFile(path, split, ".json");
        yield new LlavaJsonReader(folderOf(file), LlavaJsonReader.AnswerSet.CLOSED).read(file);
      }
      case JSONL -> {
        Path file = splitFile(path, split, ".jsonl");
        yield new JsonlReader(folderOf(file)).read(file);
      }
      case SYNTHETIC -> SyntheticSpec.parse(path.toString()).generate(SyntheticSplit.fromName(split));
    };
  }

  /** The file a split is read from, for messages ({@code path} itself for the synthetic generator). */
  private static Path fileOf(DatasetFormat format, Path path, String split) {
    return switch (format) {
      case HATEFUL_MEMES -> hatefulMemesFile(path, split);
      case CRISISMMD -> crisisMmdFile(path, split);
      case LLAVA -> splitFile(path, split, ".json");
      case JSONL -> splitFile(path, split, ".jsonl");
      case SYNTHETIC -> path;
    };
  }

  private static List<Sample> loadHatefulMemes(Path path, String split) throws IOException {
    Path file = hatefulMemesFile(path, split);
    return new HatefulMemesReader(Files.isRegularFile(path) ? folderOf(path) : path).read(file);
  }

  private static Path hatefulMemesFile(Path path, String split) {
    if (Files.isRegularFile(path)) {
      return path;
    }
    Path file = path.resolve(split + ".jsonl");
    if (!Files.exists(file) && (split.equals("dev") || split.equals("test"))) {
      file = path.resolve(split + "_seen.jsonl");
    }
    return file;
  }

  private static List<Sample> loadCrisisMmd(Path root, String split) throws IOException {
    Path file = crisisMmdFile(root, split);
    if (!Files.exists(file)) {
      throw new DatasetFormatException(file, 0, null, "file not found (nor " + root.resolve(file.getFileName())
          + ")");
    }
    return new CrisisMmdReader(root).read(file);
  }

  private static Path crisisMmdFile(Path root, String split) {
    String name = CrisisMmdReader.fileName(split);
    Path inSplitFolder = root.resolve("crisismmd_datasplit_all").resolve(name);
    return Files.exists(inSplitFolder) || !Files.exists(root.resolve(name)) ? inSplitFolder : root.resolve(name);
  }

  private static Path splitFile(Path path, String split, String extension) {
    return Files.isDirectory(path) ? path.resolve(split + extension) : path;
  }

  private static Path folderOf(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    return parent == null ? Path.of(".") : parent;
  }
}
