package dev.lockstep.core.drift;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A normalised description of the managed schema(s): every object once, ordered by type and name, with a hash over
 * all of it (equal hashes: nothing differs, without comparing object by object).
 *
 * @param objects the objects, ordered by key
 * @param hash SHA-256 over the serialized objects
 */
public record SchemaDescription(List<CatalogObject> objects, String hash) {

	private static final Comparator<CatalogObject> ORDER = Comparator.comparing(CatalogObject::type)
		.thenComparing(CatalogObject::name);

	public SchemaDescription {
		objects = List.copyOf(objects);
	}

	/** A description of the given objects (in any order; a later duplicate key replaces an earlier one). */
	public static SchemaDescription of(List<CatalogObject> objects) {
		Map<String, CatalogObject> unique = new LinkedHashMap<>();
		for (CatalogObject object : objects) {
			unique.put(object.key(), object);
		}
		List<CatalogObject> sorted = new ArrayList<>(unique.values());
		sorted.sort(ORDER);
		return new SchemaDescription(sorted, hash(serialize(sorted)));
	}

	/** The objects by key. */
	public Map<String, CatalogObject> byKey() {
		Map<String, CatalogObject> map = new LinkedHashMap<>();
		for (CatalogObject object : this.objects) {
			map.put(object.key(), object);
		}
		return map;
	}

	/** One line per object: type, name, table and definition separated by tabs, escaped. */
	public String serialize() {
		return serialize(this.objects);
	}

	/** Reads what {@link #serialize()} wrote. */
	public static SchemaDescription parse(String text) {
		List<CatalogObject> objects = new ArrayList<>();
		for (String line : text.split("\n", -1)) {
			if (line.isEmpty()) {
				continue;
			}
			String[] fields = line.split("\t", -1);
			if (fields.length != 4) {
				throw new IllegalArgumentException("Not a schema description line: " + line);
			}
			String table = unescape(fields[2]);
			objects.add(new CatalogObject(unescape(fields[0]), unescape(fields[1]), table.isEmpty() ? null : table,
					unescape(fields[3])));
		}
		return of(objects);
	}

	private static String serialize(List<CatalogObject> objects) {
		StringBuilder text = new StringBuilder(objects.size() * 64);
		for (CatalogObject object : objects) {
			text.append(escape(object.type()))
				.append('\t')
				.append(escape(object.name()))
				.append('\t')
				.append(escape(object.table()))
				.append('\t')
				.append(escape(object.definition()))
				.append('\n');
		}
		return text.toString();
	}

	private static String escape(@Nullable String value) {
		if (value == null) {
			return "";
		}
		if (value.indexOf('\\') < 0 && value.indexOf('\t') < 0 && value.indexOf('\n') < 0
				&& value.indexOf('\r') < 0) {
			return value;
		}
		return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
	}

	private static String unescape(String value) {
		if (value.indexOf('\\') < 0) {
			return value;
		}
		StringBuilder text = new StringBuilder(value.length());
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '\\' && i + 1 < value.length()) {
				char next = value.charAt(++i);
				text.append(switch (next) {
					case 't' -> '\t';
					case 'n' -> '\n';
					case 'r' -> '\r';
					default -> next;
				});
			}
			else {
				text.append(c);
			}
		}
		return text.toString();
	}

	/** SHA-256 of the text, in hex. */
	static String hash(String text) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
