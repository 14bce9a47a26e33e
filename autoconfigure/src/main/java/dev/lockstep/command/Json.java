package dev.lockstep.command;

import java.lang.reflect.RecordComponent;
import java.time.temporal.TemporalAccessor;
import java.util.Collection;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A small JSON writer for the commands' {@code --format=json} output (records, maps, lists and scalars), so the
 * commands need no JSON library on the application's classpath.
 */
final class Json {

	private Json() {
	}

	static String write(@Nullable Object value) {
		StringBuilder json = new StringBuilder();
		write(json, value);
		return json.toString();
	}

	private static void write(StringBuilder json, @Nullable Object value) {
		if (value == null) {
			json.append("null");
		}
		else if (value instanceof CharSequence || value instanceof TemporalAccessor || value instanceof Enum<?>) {
			string(json, (value instanceof Enum<?> constant) ? constant.name() : value.toString());
		}
		else if (value instanceof Number || value instanceof Boolean) {
			json.append(value);
		}
		else if (value instanceof Map<?, ?> map) {
			json.append('{');
			boolean first = true;
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				if (!first) {
					json.append(',');
				}
				first = false;
				string(json, String.valueOf(entry.getKey()));
				json.append(':');
				write(json, entry.getValue());
			}
			json.append('}');
		}
		else if (value instanceof Collection<?> collection) {
			json.append('[');
			boolean first = true;
			for (Object item : collection) {
				if (!first) {
					json.append(',');
				}
				first = false;
				write(json, item);
			}
			json.append(']');
		}
		else if (value.getClass().isRecord()) {
			json.append('{');
			boolean first = true;
			for (RecordComponent component : value.getClass().getRecordComponents()) {
				if (!first) {
					json.append(',');
				}
				first = false;
				string(json, component.getName());
				json.append(':');
				try {
					component.getAccessor().setAccessible(true);
					write(json, component.getAccessor().invoke(value));
				}
				catch (ReflectiveOperationException ex) {
					json.append("null");
				}
			}
			json.append('}');
		}
		else {
			string(json, value.toString());
		}
	}

	private static void string(StringBuilder json, String text) {
		json.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				case '\n' -> json.append("\\n");
				case '\r' -> json.append("\\r");
				case '\t' -> json.append("\\t");
				default -> {
					if (c < 0x20) {
						json.append(String.format("\\u%04x", (int) c));
					}
					else {
						json.append(c);
					}
				}
			}
		}
		json.append('"');
	}

}
