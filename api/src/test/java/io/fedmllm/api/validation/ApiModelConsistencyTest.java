package io.fedmllm.api.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The model, its CRD annotations and the Java validator must say the same thing. */
class ApiModelConsistencyTest {

  private static final Path MODEL_SOURCES = Path.of("src/main/java/io/fedmllm/api/v1alpha1");
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<Class<?>> modelClasses() throws IOException {
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> files = Files.list(MODEL_SOURCES)) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString().replace(".java", "");
        try {
          classes.add(Class.forName("io.fedmllm.api.v1alpha1." + name));
        } catch (ClassNotFoundException e) {
          throw new AssertionError(e);
        }
      }
    }
    return classes;
  }

  @Test
  void everyCelRuleHasItsJavaTwinAndViceVersa() throws IOException {
    Map<String, Class<?>> annotated = new HashMap<>();
    for (Class<?> type : modelClasses()) {
      for (ValidationRule rule : type.getAnnotationsByType(ValidationRule.class)) {
        annotated.put(rule.value(), type);
        assertTrue(!rule.message().isBlank(), type + " rule without message");
      }
    }
    assertEquals(CrossFieldRules.registered(), annotated);
  }

  @Test
  void everySpecAndStatusFieldIsDescribed() throws IOException {
    for (Class<?> type : modelClasses()) {
      for (Field field : instanceFields(type)) {
        JsonPropertyDescription description = field.getAnnotation(JsonPropertyDescription.class);
        assertTrue(description != null && !description.value().isBlank(), type.getSimpleName() + "." + field.getName());
      }
    }
  }

  /** A default in the CRD and the Java field initialiser must be the same value, or local and cluster diverge. */
  @Test
  void schemaDefaultsEqualJavaDefaults() throws Exception {
    int checked = 0;
    for (Class<?> type : modelClasses()) {
      if (type.isEnum() || Modifier.isAbstract(type.getModifiers()) || instanceFields(type).isEmpty()) {
        continue;
      }
      Object fresh = type.getDeclaredConstructor().newInstance();
      for (Field field : instanceFields(type)) {
        Default schemaDefault = field.getAnnotation(Default.class);
        field.setAccessible(true);
        Object javaDefault = field.get(fresh);
        if (schemaDefault == null) {
          assertEquals(null, javaDefault, type.getSimpleName() + "." + field.getName() + " has no schema default");
          continue;
        }
        JsonNode yaml = new YAMLMapper().readTree(schemaDefault.value());
        Object fromSchema = JSON.convertValue(yaml, JSON.constructType(field.getGenericType()));
        assertEquals(JSON.valueToTree(fromSchema), JSON.valueToTree(javaDefault),
            type.getSimpleName() + "." + field.getName());
        checked++;
      }
    }
    assertTrue(checked > 20, "defaults checked: " + checked);
  }

  @Test
  void modelSourcesDependOnlyOnAnnotations() throws IOException {
    try (Stream<Path> files = Files.list(MODEL_SOURCES)) {
      for (Path file : files.toList()) {
        for (String line : Files.readAllLines(file)) {
          if (line.startsWith("import ")) {
            assertTrue(line.startsWith("import java.util.")
                    || line.startsWith("import com.fasterxml.jackson.annotation.")
                    || line.startsWith("import io.fabric8.generator.annotation."),
                file.getFileName() + ": " + line);
          }
        }
      }
    }
  }

  private static List<Field> instanceFields(Class<?> type) {
    return Stream.of(type.getDeclaredFields())
        .filter(f -> !Modifier.isStatic(f.getModifiers()) && !f.isEnumConstant() && !f.isSynthetic())
        .toList();
  }
}
