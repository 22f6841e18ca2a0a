package io.fedmllm.api.manifest;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fedmllm.api.v1alpha1.FederationClientSpec;
import io.fedmllm.api.v1alpha1.FederationSpec;
import io.fedmllm.api.validation.SpecValidator;
import io.fedmllm.api.validation.Utf8Check;
import io.fedmllm.api.validation.Violation;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a multi-document YAML file holding one {@code Federation} and its {@code FederationClient}s
 * (apiVersion {@value #API_VERSION}) into the same model the operator reconciles, and validates it the way the API
 * server would (schema and CEL rules, via {@link SpecValidator}) plus the checks across resources that a local run
 * needs. Documents of other API groups are skipped (and listed), so one file can hold a Secret too.
 *
 * <p>The first problem found is thrown as a {@link ManifestException} with a one-line message such as
 * {@code fed.yaml:14: document 2 (FederationClient client-0): spec.data.format: unknown value 'csv'; allowed:
 * crisismmd, hateful-memes, jsonl, llava, synthetic}.
 */
public final class ManifestReader {

  public static final String GROUP = "fedmllm.io";
  public static final String API_VERSION = GROUP + "/v1alpha1";
  public static final String FEDERATION = "Federation";
  public static final String FEDERATION_CLIENT = "FederationClient";

  private static final Pattern MALFORMED_NUMBER = Pattern.compile("Malformed numeric value '(.*)'");

  private final YAMLMapper mapper;
  private final boolean requireClients;

  /** For a manifest of {@code fedmllm local}: its federation's clients are all in the file, at least one. */
  public ManifestReader() {
    this(true);
  }

  /**
   * For the manifest the operator renders for a running federation's pods: clients join and leave, so the file may
   * hold none yet, or fewer than the quorum.
   */
  public static ManifestReader ofRunningFederation() {
    return new ManifestReader(false);
  }

  private ManifestReader(boolean requireClients) {
    this.requireClients = requireClients;
    YAMLMapper m = YAMLMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        // An explicit null keeps the default, as the API server prunes it and then applies the default.
        .defaultSetterInfo(JsonSetter.Value.forValueNulls(Nulls.SKIP))
        .build();
    // A YAML scalar is bound only to a field of its own type: "8" (quoted) is not a number, 8 is not a string.
    m.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    this.mapper = m;
  }

  /** Reads and validates {@code file}. */
  public Manifest read(Path file) throws ManifestException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      OptionalInt line = firstMalformedLine(file);
      throw new ManifestException(file.toString(), line.orElse(0), file + ":" + line.orElse(0)
          + ": not UTF-8 text (a YAML manifest is a text file)", "", e);
    } catch (IOException e) {
      throw new ManifestException(file.toString(), 0, file + ": cannot read: " + e.getMessage(), "", e);
    }
    return read(text, file.toString());
  }

  private static OptionalInt firstMalformedLine(Path file) {
    try {
      return Utf8Check.firstMalformedLine(file);
    } catch (IOException e) {
      return OptionalInt.empty();
    }
  }

  /** Reads and validates manifest {@code text}; {@code source} names it in error messages. */
  public Manifest read(String text, String source) throws ManifestException {
    return new Reading(text, source).run();
  }

  /** The state of reading one file. */
  private final class Reading {
    private final String text;
    private final String source;
    private LineIndex lines;
    private final List<Document> documents = new ArrayList<>();

    Reading(String text, String source) {
      this.text = text;
      this.source = source;
    }

    Manifest run() throws ManifestException {
      try (JsonParser parser = mapper.createParser(text)) {
        lines = LineIndex.of(parser);
      } catch (JsonProcessingException e) {
        int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
        throw new ManifestException(source, line, source + ":" + line + ": invalid YAML: " + firstLine(e), "", e);
      } catch (IOException e) {
        throw new ManifestException(source, 0, source + ": " + e.getMessage(), "", e);
      }
      readTrees();
      bindSpecs();
      return assemble();
    }

    /** A read error at the line Jackson reports, when it does, with the field that starts on that line. */
    private ManifestException located(IOException e) {
      int line = e instanceof JsonProcessingException j && j.getLocation() != null ? j.getLocation().getLineNr() : 0;
      String path = line > 0 ? lines.pathAt(line).orElse("") : "";
      String problem = firstLine(e);
      Matcher number = MALFORMED_NUMBER.matcher(problem);
      if (number.matches()) {
        // YAML's .nan and .inf: no field of the API takes them.
        problem = "must be a finite number, got '" + number.group(1) + "'";
      }
      return new ManifestException(source, line, source + (line > 0 ? ":" + line : "") + ": "
          + (path.isEmpty() ? "" : path + ": ") + problem, path, e);
    }

    /** Pass 1: each document as a tree, to learn its apiVersion, kind and name before binding its spec. */
    private void readTrees() throws ManifestException {
      try (JsonParser parser = mapper.createParser(text)) {
        int index = 0;
        while (parser.nextToken() != null) {
          index++;
          int line = parser.currentTokenLocation().getLineNr();
          JsonNode tree = mapper.readTree(parser);
          documents.add(new Document(index, line, tree));
        }
      } catch (IOException e) {
        throw located(e);
      }
      for (Document d : documents) {
        d.classify();
      }
    }

    /** Pass 2: bind the fedmllm.io documents to the model, with Jackson reporting exact locations. */
    private void bindSpecs() throws ManifestException {
      try (JsonParser parser = mapper.createParser(text)) {
        for (Document d : documents) {
          parser.nextToken();
          if (d.type == null) {
            parser.skipChildren();
            continue;
          }
          try {
            d.bound = mapper.readValue(parser, d.type);
          } catch (JsonMappingException e) {
            throw d.bindingError(e);
          }
        }
      } catch (ManifestException e) {
        throw e;
      } catch (IOException e) {
        throw located(e);
      }
    }

    @SuppressWarnings("unchecked")
    private Manifest assemble() throws ManifestException {
      Document federationDoc = null;
      List<Document> clientDocs = new ArrayList<>();
      List<String> ignored = new ArrayList<>();
      for (Document d : documents) {
        if (d.bound == null) {
          if (d.tree != null && !d.tree.isNull()) {
            ignored.add(d.apiVersion + " " + d.kind + " " + d.name + " (document " + d.index + ")");
          }
          continue;
        }
        d.checkMetadata();
        List<Violation> violations = d.kind.equals(FEDERATION)
            ? SpecValidator.validate((FederationSpec) d.bound.spec)
            : SpecValidator.validate((FederationClientSpec) d.bound.spec);
        if (!violations.isEmpty()) {
          throw d.error(violations.get(0).path(), violations.get(0).message());
        }
        if (d.kind.equals(FEDERATION)) {
          if (federationDoc != null) {
            throw d.error("", "a manifest holds one Federation; '" + federationDoc.name + "' is already defined in"
                + " document " + federationDoc.index);
          }
          federationDoc = d;
        } else {
          clientDocs.add(d);
        }
      }
      if (federationDoc == null) {
        throw new ManifestException(source, 0, source + ": no Federation (apiVersion " + API_VERSION
            + ") in this file", "", null);
      }
      Resource<FederationSpec> federation = (Resource<FederationSpec>) federationDoc.resource();
      List<Resource<FederationClientSpec>> clients = new ArrayList<>();
      List<SpecValidator.Member> members = new ArrayList<>();
      for (Document d : clientDocs) {
        Resource<FederationClientSpec> client = (Resource<FederationClientSpec>) d.resource();
        clients.add(client);
        members.add(new SpecValidator.Member(client.name(), client.metadata().getNamespace(), client.spec()));
      }
      List<Violation> violations = SpecValidator.validateMembers(federation.name(),
          federation.metadata().getNamespace(), federation.spec(), members, requireClients);
      if (!violations.isEmpty()) {
        Violation v = violations.get(0);
        Document about = v.resource() == Violation.SPEC ? federationDoc : clientDocs.get(v.resource());
        throw about.error(v.path(), v.message());
      }
      return new Manifest(source, federation, clients, ignored);
    }

    /** One YAML document of the file. */
    private final class Document {
      final int index;
      final int line;
      final JsonNode tree;
      String apiVersion = "";
      String kind = "";
      String name = "";
      JavaType type;
      Envelope<?> bound;

      Document(int index, int line, JsonNode tree) {
        this.index = index;
        this.line = line;
        this.tree = tree;
      }

      void classify() throws ManifestException {
        if (tree == null || tree.isNull() || tree.isMissingNode()) {
          return;
        }
        if (!tree.isObject()) {
          throw error("", "a document must be a mapping with apiVersion, kind, metadata and spec");
        }
        apiVersion = text(tree.get("apiVersion"));
        kind = text(tree.get("kind"));
        JsonNode metadata = tree.get("metadata");
        name = metadata != null && metadata.isObject() ? text(metadata.get("name")) : "";
        if (apiVersion.isEmpty()) {
          throw error("apiVersion", "required field is missing");
        }
        if (kind.isEmpty()) {
          throw error("kind", "required field is missing");
        }
        if (!apiVersion.startsWith(GROUP + "/")) {
          return;
        }
        if (!apiVersion.equals(API_VERSION)) {
          throw error("apiVersion", "version '" + apiVersion + "' is not served; use " + API_VERSION);
        }
        Class<?> spec = switch (kind) {
          case FEDERATION -> FederationSpec.class;
          case FEDERATION_CLIENT -> FederationClientSpec.class;
          default -> throw error("kind", "unknown kind '" + kind + "' in " + API_VERSION + "; expected "
              + FEDERATION + " or " + FEDERATION_CLIENT);
        };
        type = mapper.getTypeFactory().constructParametricType(Envelope.class, spec);
      }

      void checkMetadata() throws ManifestException {
        List<Violation> name = SpecValidator.validateName(bound.metadata == null ? null : bound.metadata.getName());
        if (!name.isEmpty()) {
          throw error(name.get(0).path(), name.get(0).message());
        }
        if (bound.spec == null) {
          throw error("spec", "required field is missing");
        }
      }

      Resource<?> resource() {
        return new Resource<>(kind, bound.metadata, bound.spec, index, line);
      }

      ManifestException error(String path, String message) {
        int at = lines.line(index, path);
        return new ManifestException(source, at, prefix(at) + (path.isEmpty() ? "" : path + ": ") + message, path,
            null);
      }

      ManifestException bindingError(JsonMappingException e) {
        String path = path(e);
        // The key's line: Jackson reports where the offending value starts, which for a mapping is the next line.
        int at = !path.isEmpty() || e.getLocation() == null ? lines.line(index, path) : e.getLocation().getLineNr();
        return new ManifestException(source, at, prefix(at) + (path.isEmpty() ? "" : path + ": ") + describe(e),
            path, e);
      }

      private String prefix(int at) {
        String what = kind.isEmpty() ? "" : " (" + kind + (name.isEmpty() ? "" : " " + name) + ")";
        return source + ":" + at + ": document " + index + what + ": ";
      }
    }
  }

  /** What went wrong while binding, in the manifest's terms. */
  private String describe(JsonMappingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      Collection<Object> known = u.getKnownPropertyIds();
      return "unknown field; known fields: "
          + known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }
    if (e instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
      return "unknown value '" + f.getValue() + "'; allowed: " + allowed(f.getTargetType());
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      Class<?> target = m.getTargetType();
      if (target.isEnum()) {
        return "expected one of " + allowed(target) + ", got " + found(m);
      }
      return "expected " + typeName(target) + ", got " + found(m);
    }
    return firstLine(e);
  }

  private String allowed(Class<?> enumType) {
    return Arrays.stream(enumType.getEnumConstants())
        .map(c -> mapper.convertValue(c, String.class))
        .sorted()
        .collect(Collectors.joining(", "));
  }

  private static String found(MismatchedInputException e) {
    if (e instanceof InvalidFormatException f) {
      return f.getValue() instanceof String s ? "'" + s + "'" : String.valueOf(f.getValue());
    }
    if (e.getProcessor() instanceof JsonParser p) {
      JsonToken token = p.currentToken();
      if (token == null) {
        return "nothing";
      }
      try {
        return switch (token) {
          case START_OBJECT, FIELD_NAME -> "a mapping";
          case START_ARRAY -> "a list";
          case VALUE_STRING -> "'" + p.getText() + "'";
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> p.getText();
          default -> token.asString() == null ? token.name().toLowerCase() : token.asString();
        };
      } catch (IOException io) {
        return "an unreadable value";
      }
    }
    return "a value of another type";
  }

  private static String typeName(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "a mapping of strings";
    }
    return "a mapping";
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String text(JsonNode node) {
    return node != null && node.isTextual() ? node.asText() : "";
  }

  private static String firstLine(Exception e) {
    String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    if (message == null) {
      return e.getClass().getSimpleName();
    }
    return message.lines().findFirst().orElse(message).strip();
  }

  /** The shape of a fedmllm.io document; {@code status} is not accepted in a manifest. */
  static final class Envelope<S> {
    public String apiVersion;
    public String kind;
    public ResourceMetadata metadata;
    public S spec;
  }
}
