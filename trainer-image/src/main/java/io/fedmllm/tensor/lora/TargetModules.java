package io.fedmllm.tensor.lora;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * PEFT's {@code target_modules}: either a list of module names, where a module is selected when its path equals a
 * name or ends with {@code "." + name}, or one regular expression that must match the whole module path (PEFT's
 * {@code re.fullmatch}). A multimodal model needs the regex form: its vision tower has {@code q_proj} too, and a list
 * would put adapters there as well.
 *
 * @param names the list form, or empty when {@code pattern} is set
 * @param pattern the regex form, or null
 */
@JsonSerialize(using = TargetModules.Writer.class)
@JsonDeserialize(using = TargetModules.Reader.class)
public record TargetModules(List<String> names, String pattern) {

  public TargetModules {
    names = names == null ? List.of() : List.copyOf(names);
    if (pattern == null && names.isEmpty()) {
      throw new IllegalArgumentException("adapter_config target_modules must list at least one module");
    }
    if (pattern != null && !names.isEmpty()) {
      throw new IllegalArgumentException("adapter_config target_modules is either a list or a regex, not both");
    }
    if (names.stream().distinct().count() != names.size()) {
      throw new IllegalArgumentException("adapter_config target_modules has duplicates: " + names);
    }
    if (pattern != null) {
      try {
        Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "adapter_config target_modules is not a valid regular expression: " + e.getDescription());
      }
    }
  }

  public static TargetModules list(List<String> names) {
    return new TargetModules(names, null);
  }

  public static TargetModules regex(String pattern) {
    return new TargetModules(List.of(), pattern);
  }

  /** Whether PEFT puts an adapter on the module at {@code modulePath} (e.g. {@code model.layers.0.self_attn.q_proj}). */
  public boolean selects(String modulePath) {
    if (pattern != null) {
      return Pattern.compile(pattern).matcher(modulePath).matches();
    }
    for (String name : names) {
      if (modulePath.equals(name) || modulePath.endsWith("." + name)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return pattern != null ? pattern : names.toString();
  }

  static final class Writer extends StdSerializer<TargetModules> {
    Writer() {
      super(TargetModules.class);
    }

    @Override
    public void serialize(TargetModules value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      if (value.pattern != null) {
        gen.writeString(value.pattern);
        return;
      }
      gen.writeStartArray();
      for (String name : value.names) {
        gen.writeString(name);
      }
      gen.writeEndArray();
    }
  }

  static final class Reader extends StdDeserializer<TargetModules> {
    Reader() {
      super(TargetModules.class);
    }

    @Override
    public TargetModules deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() == JsonToken.VALUE_STRING) {
        return regex(p.getText());
      }
      if (p.currentToken() != JsonToken.START_ARRAY) {
        throw ctxt.weirdStringException(p.getText(), TargetModules.class,
            "target_modules must be a list of module names or one regular expression");
      }
      List<String> names = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
          throw ctxt.weirdStringException(p.getText(), TargetModules.class,
              "target_modules entries must be strings");
        }
        names.add(p.getText());
      }
      return list(names);
    }
  }
}
