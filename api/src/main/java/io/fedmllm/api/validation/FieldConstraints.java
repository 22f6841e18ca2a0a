package io.fedmllm.api.validation;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a spec object graph against the same annotations the CRD schema is generated from ({@code @Required},
 * {@code @Min}, {@code @Max}, {@code @Pattern}, {@code @Size}) and runs the Java twin of every class-level
 * {@code @ValidationRule}. Walks every field of the API's own classes, depth first, in declaration order.
 */
final class FieldConstraints {

  private static final String MODEL_PACKAGE = "io.fedmllm.api.v1alpha1";
  private static final Map<String, java.util.regex.Pattern> PATTERNS = new ConcurrentHashMap<>();

  private FieldConstraints() {}

  static void check(Object node, String path, List<Violation> out) {
    Class<?> type = node.getClass();
    for (Field field : type.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers())) {
        continue;
      }
      String fieldPath = path + "." + jsonName(field);
      Object value = read(field, node);
      if (value == null) {
        if (field.isAnnotationPresent(Required.class)) {
          out.add(Violation.of(fieldPath, "required field is missing"));
        }
        continue;
      }
      checkValue(field, value, fieldPath, out);
      descend(value, fieldPath, out);
    }
    for (ValidationRule rule : type.getAnnotationsByType(ValidationRule.class)) {
      if (!CrossFieldRules.holds(rule.value(), node)) {
        out.add(Violation.of(path + rule.fieldPath(), rule.message()));
      }
    }
  }

  /** Whether {@code type} belongs to the API model (and so is walked into). */
  static boolean isModelType(Class<?> type) {
    return !type.isEnum() && type.getPackageName().equals(MODEL_PACKAGE);
  }

  static String jsonName(Field field) {
    JsonProperty property = field.getAnnotation(JsonProperty.class);
    return property != null && !property.value().isEmpty() ? property.value() : field.getName();
  }

  private static void descend(Object value, String path, List<Violation> out) {
    if (isModelType(value.getClass())) {
      check(value, path, out);
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        Object element = list.get(i);
        if (element == null) {
          out.add(Violation.of(path + "[" + i + "]", "list items must not be null"));
        } else if (isModelType(element.getClass())) {
          check(element, path + "[" + i + "]", out);
        }
      }
    }
  }

  private static void checkValue(Field field, Object value, String path, List<Violation> out) {
    Min min = field.getAnnotation(Min.class);
    Max max = field.getAnnotation(Max.class);
    if ((value instanceof Double || value instanceof Float) && !Double.isFinite(((Number) value).doubleValue())) {
      out.add(Violation.of(path, "must be a finite number, got " + value));
    } else if (value instanceof Number number) {
      double v = number.doubleValue();
      if (min != null && !(min.inclusive() ? v >= min.value() : v > min.value())) {
        out.add(Violation.of(path, "must be " + (min.inclusive() ? ">= " : "> ") + format(min.value()) + ", got "
            + number));
      }
      if (max != null && !(max.inclusive() ? v <= max.value() : v < max.value())) {
        out.add(Violation.of(path, "must be " + (max.inclusive() ? "<= " : "< ") + format(max.value()) + ", got "
            + number));
      }
    }
    Pattern pattern = field.getAnnotation(Pattern.class);
    if (pattern != null && value instanceof String text && !compiled(pattern.value()).matcher(text).find()) {
      out.add(Violation.of(path, "'" + text + "' is not " + PatternDescriptions.describe(pattern.value())));
    } else if (pattern != null && value instanceof String text) {
      ValueRanges.problem(pattern.value(), text).ifPresent(problem -> out.add(Violation.of(path, problem)));
    }
    Size size = field.getAnnotation(Size.class);
    if (size != null) {
      long n = value instanceof String s ? s.codePointCount(0, s.length())
          : value instanceof Collection<?> c ? c.size()
          : value instanceof Map<?, ?> m ? m.size() : -1;
      String unit = value instanceof String ? " characters" : " items";
      if (n >= 0 && n < size.min()) {
        out.add(Violation.of(path, "must have at least " + size.min() + unit + ", got " + n));
      }
      if (n >= 0 && n > size.max()) {
        out.add(Violation.of(path, "must have at most " + size.max() + unit + ", got " + n));
      }
    }
  }

  private static Object read(Field field, Object node) {
    try {
      field.setAccessible(true);
      return field.get(node);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot read " + field, e);
    }
  }

  private static java.util.regex.Pattern compiled(String regex) {
    return PATTERNS.computeIfAbsent(regex, java.util.regex.Pattern::compile);
  }

  private static String format(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
