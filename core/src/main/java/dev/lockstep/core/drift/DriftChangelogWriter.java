package dev.lockstep.core.drift;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.DriftChange;
import dev.lockstep.core.api.DriftObject;

/**
 * Writes a Liquibase formatted-SQL changelog whose changesets make the same changes as the drift: run on a
 * database that has what the migrations made, they turn it into the live schema; run on the drifted database
 * itself (once the file is part of its changelog) they change nothing, so a hand change can be adopted into the
 * history. One changeset per object, author {@value #AUTHOR}, id {@link #changeSetId(String, String)} (the
 * object's kind and name), in an order that respects dependencies (drops first, then types, sequences, functions,
 * tables, columns, constraints, views, indexes, triggers, policies). Each statement is written so that it changes
 * nothing where the object already is as the live database has it ({@code IF NOT EXISTS}, {@code CREATE OR
 * REPLACE}, {@code IF EXISTS}, or a {@code DO} block that ignores "already exists"). What cannot be expressed
 * from the catalog's definitions is named in an SQL comment at the top of the file.
 */
public final class DriftChangelogWriter {

	/** The author of the changesets written. */
	public static final String AUTHOR = "lockstep-diff";

	private static final Pattern COLUMN = Pattern.compile("^(?<type>.+?)(?: collate (?<collate>\"(?:[^\"]|\"\")*\"|\\S+))?"
			+ " (?<nullable>not null|null)(?: generated (?<identity>always|by default) as identity)?"
			+ "(?: generated always as \\((?<generated>.*)\\) stored| default (?<default>.*))?$", Pattern.DOTALL);

	private static final Pattern TABLE = Pattern.compile("^(?<kind>foreign table|table)(?<unlogged> unlogged)?"
			+ "(?: partitioned by (?<key>.+?))?(?: partition of (?<parent>.+?))?"
			+ "(?<rls> row level security(?<forced> forced)?)?$", Pattern.DOTALL);

	private static final Pattern SEQUENCE = Pattern.compile("^(?<type>.+?) start (?<start>-?\\d+) increment "
			+ "(?<increment>-?\\d+) min (?<min>-?\\d+) max (?<max>-?\\d+) cache (?<cache>\\d+)(?<cycle> cycle)?"
			+ "(?: owned by (?<owner>.+))?$", Pattern.DOTALL);

	private static final Pattern TRIGGER_STATE = Pattern.compile(
			"^(?<definition>.*?)(?: \\((?<state>disabled|enabled for replica|enabled always)\\))?$", Pattern.DOTALL);

	private static final Pattern AGGREGATE = Pattern.compile("^aggregate (?<transition>\\S+) (?<state>.+?)"
			+ "(?: final (?<final>\\S+))?$", Pattern.DOTALL);

	private static final Pattern LITERAL = Pattern.compile("'((?:[^']|'')*)'");

	private static final Pattern PLAIN_NAME = Pattern.compile("[a-z_][a-z0-9_$]*");

	private static final Set<String> RESERVED = Set.of("all", "analyse", "analyze", "and", "any", "array", "as",
			"asc", "asymmetric", "authorization", "binary", "both", "case", "cast", "check", "collate", "collation",
			"column", "concurrently", "constraint", "create", "cross", "current_catalog", "current_date",
			"current_role", "current_schema", "current_time", "current_timestamp", "current_user", "default",
			"deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign",
			"freeze", "from", "full", "grant", "group", "having", "ilike", "in", "initially", "inner", "intersect",
			"into", "is", "isnull", "join", "lateral", "leading", "left", "like", "limit", "localtime",
			"localtimestamp", "natural", "not", "notnull", "null", "offset", "on", "only", "or", "order", "outer",
			"overlaps", "placing", "primary", "references", "returning", "right", "select", "session_user",
			"similar", "some", "symmetric", "system_user", "table", "tablesample", "then", "to", "trailing", "true",
			"union", "unique", "user", "using", "variadic", "verbose", "when", "where", "window", "with");

	private static final int MAX_ID = 200;

	private final String defaultSchema;

	/**
	 * @param defaultSchema the schema of objects shown without a schema prefix
	 */
	public DriftChangelogWriter(String defaultSchema) {
		this.defaultSchema = defaultSchema;
	}

	/**
	 * The id of the changeset that adopts an object: its kind and name, readable and the same every time, e.g.
	 * {@code index-orders_state_idx}, {@code column-orders.note}, {@code function-order_total-p_order-integer}.
	 */
	public static String changeSetId(String type, String name) {
		String id = (type + "-" + name).replaceAll("[^A-Za-z0-9_.]+", "-").replaceAll("-+$", "");
		if (id.length() > MAX_ID) {
			id = id.substring(0, MAX_ID - 13) + "-" + sha256(type + ":" + name).substring(0, 12);
		}
		return id;
	}

	/**
	 * The changelog.
	 * @param objects the differing objects (ignored ones left out)
	 * @param expected what the migrations made
	 * @param actual the live schema
	 */
	public Written write(List<DriftObject> objects, SchemaDescription expected, SchemaDescription actual) {
		Map<String, CatalogObject> was = expected.byKey();
		Map<String, CatalogObject> is = actual.byKey();
		Set<String> removedTables = new HashSet<>();
		Set<String> addedTables = new HashSet<>();
		for (DriftObject object : objects) {
			if (object.type().equals("table") && object.change() == DriftChange.REMOVED) {
				removedTables.add(object.name());
			}
			if (object.type().equals("table") && object.change() == DriftChange.ADDED) {
				addedTables.add(object.name());
			}
		}
		List<Step> steps = new ArrayList<>();
		List<String> notes = new ArrayList<>();
		for (DriftObject object : objects) {
			String key = object.type() + ":" + object.name();
			CatalogObject before = was.get(key);
			CatalogObject after = is.get(key);
			String table = (after != null) ? after.table() : (before != null) ? before.table() : null;
			if (object.change() == DriftChange.REMOVED && table != null && removedTables.contains(table)) {
				continue; // dropped with its table
			}
			if (object.type().equals("column") && object.change() == DriftChange.ADDED && table != null
					&& addedTables.contains(table)) {
				continue; // created with its table
			}
			new Steps(object, before, after, actual, steps, notes).add();
		}
		steps.sort(Comparator.comparingInt(Step::phase).thenComparing(Step::id));
		StringBuilder text = new StringBuilder("-- liquibase formatted sql\n\n");
		text.append("-- Written by 'migrations diff --output': changesets that make the same changes as the drift\n");
		text.append("-- found (what the migrations made -> the live schema). On the drifted database they change\n");
		text.append("-- nothing; add this file to the changelog and run 'migrations update' to adopt the changes.\n");
		if (!notes.isEmpty()) {
			text.append("--\n-- Not expressed (change these by hand, or with changesets of your own):\n");
			for (String note : notes) {
				text.append("--   ").append(note.replace("\n", " ")).append('\n');
			}
		}
		for (Step step : steps) {
			text.append("\n--changeset ").append(AUTHOR).append(':').append(step.id()).append(" splitStatements:false\n");
			text.append("--comment: ").append(step.comment().replace("\n", " ")).append('\n');
			text.append(step.sql().strip()).append(";\n");
		}
		return new Written(text.toString(), steps.size(), List.copyOf(notes));
	}

	/**
	 * @param text the changelog
	 * @param changeSets how many changesets it has
	 * @param notExpressed the objects it could not express, with why
	 */
	public record Written(String text, int changeSets, List<String> notExpressed) {
	}

	private record Step(int phase, String id, String comment, String sql) {
	}

	/** The steps for one object. */
	private final class Steps {

		private final DriftObject object;

		private final @Nullable CatalogObject before;

		private final @Nullable CatalogObject after;

		private final SchemaDescription actual;

		private final List<Step> steps;

		private final List<String> notes;

		Steps(DriftObject object, @Nullable CatalogObject before, @Nullable CatalogObject after,
				SchemaDescription actual, List<Step> steps, List<String> notes) {
			this.object = object;
			this.before = before;
			this.after = after;
			this.actual = actual;
			this.steps = steps;
			this.notes = notes;
		}

		void add() {
			switch (this.object.type()) {
				case "table" -> table();
				case "column" -> column();
				case "constraint" -> constraint();
				case "index" -> index();
				case "view" -> view();
				case "materialized view" -> materializedView();
				case "sequence" -> sequence();
				case "function", "procedure" -> routine();
				case "aggregate" -> aggregate();
				case "trigger" -> trigger();
				case "type" -> type();
				case "policy" -> policy();
				default -> note("no statement for objects of this kind");
			}
		}

		private DriftChange change() {
			return this.object.change();
		}

		private String definition() {
			return Objects.requireNonNull(this.after).definition();
		}

		private String expectedDefinition() {
			return Objects.requireNonNull(this.before).definition();
		}

		private void step(int phase, String sql) {
			step(phase, "", sql);
		}

		private void step(int phase, String idSuffix, String sql) {
			this.steps.add(new Step(phase, changeSetId(this.object.type(), this.object.name()) + idSuffix,
					"adopts the hand change to " + this.object.type() + " " + this.object.name() + " ("
							+ this.object.change().value() + ")", sql));
		}

		private void note(String why) {
			this.notes.add(this.object.type() + " " + this.object.name() + " (" + this.object.change().value() + "): "
					+ why);
		}

		private String tableName() {
			CatalogObject either = (this.after != null) ? this.after : Objects.requireNonNull(this.before);
			return qualify(Objects.requireNonNull(either.table()));
		}

		/** The object's own name within its table. */
		private String memberName() {
			CatalogObject either = (this.after != null) ? this.after : Objects.requireNonNull(this.before);
			return quote(either.name().substring(Objects.requireNonNull(either.table()).length() + 1));
		}

		private String ownName() {
			return qualify(this.object.name());
		}

		private void table() {
			String name = ownName();
			if (change() == DriftChange.REMOVED) {
				Matcher was = TABLE.matcher(expectedDefinition());
				boolean foreign = was.matches() && was.group("kind").equals("foreign table");
				step(18, "DROP " + (foreign ? "FOREIGN TABLE" : "TABLE") + " IF EXISTS " + name);
				return;
			}
			Matcher is = TABLE.matcher(definition());
			if (!is.matches() || is.group("kind").equals("foreign table")) {
				note("a foreign table needs its server and options");
				return;
			}
			if (change() == DriftChange.ADDED) {
				StringBuilder sql = new StringBuilder("CREATE ");
				if (is.group("unlogged") != null) {
					sql.append("UNLOGGED ");
				}
				sql.append("TABLE IF NOT EXISTS ").append(name);
				if (is.group("parent") != null) {
					sql.append(" PARTITION OF ").append(is.group("parent"));
				}
				else {
					sql.append(" (");
					List<String> columns = new ArrayList<>();
					for (CatalogObject column : this.actual.objects()) {
						if (column.type().equals("column") && this.object.name().equals(column.table())) {
							columns.add("\n\t" + quote(column.name().substring(this.object.name().length() + 1)) + " "
									+ column.definition());
						}
					}
					sql.append(String.join(",", columns)).append(columns.isEmpty() ? ")" : "\n)");
				}
				if (is.group("key") != null) {
					sql.append(" PARTITION BY ").append(is.group("key"));
				}
				if (is.group("rls") != null) {
					sql.append(";\nALTER TABLE ").append(name).append(" ENABLE ROW LEVEL SECURITY");
					if (is.group("forced") != null) {
						sql.append(", FORCE ROW LEVEL SECURITY");
					}
				}
				step(33, sql.toString());
				return;
			}
			Matcher was = TABLE.matcher(expectedDefinition());
			if (!was.matches() || !Objects.equals(was.group("kind"), is.group("kind"))
					|| !Objects.equals(was.group("key"), is.group("key"))
					|| !Objects.equals(was.group("parent"), is.group("parent"))) {
				note("partitioning cannot be changed in place; was " + expectedDefinition());
				return;
			}
			List<String> actions = new ArrayList<>();
			if (!Objects.equals(was.group("unlogged"), is.group("unlogged"))) {
				actions.add((is.group("unlogged") != null) ? "SET UNLOGGED" : "SET LOGGED");
			}
			if (!Objects.equals(was.group("rls"), is.group("rls")) || !Objects.equals(was.group("forced"),
					is.group("forced"))) {
				actions.add((is.group("rls") != null) ? "ENABLE ROW LEVEL SECURITY" : "DISABLE ROW LEVEL SECURITY");
				actions.add((is.group("forced") != null) ? "FORCE ROW LEVEL SECURITY" : "NO FORCE ROW LEVEL SECURITY");
			}
			if (!actions.isEmpty()) {
				step(33, "ALTER TABLE " + name + " " + String.join(", ", actions));
			}
		}

		private void column() {
			String table = tableName();
			String column = memberName();
			if (change() == DriftChange.REMOVED) {
				step(17, "ALTER TABLE " + table + " DROP COLUMN IF EXISTS " + column);
				return;
			}
			if (change() == DriftChange.ADDED) {
				step(34, "ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS " + column + " " + definition());
				return;
			}
			Matcher was = COLUMN.matcher(expectedDefinition());
			Matcher is = COLUMN.matcher(definition());
			if (!was.matches() || !is.matches()) {
				note("its definition could not be read");
				return;
			}
			List<String> actions = new ArrayList<>();
			List<String> statements = new ArrayList<>();
			String alter = "ALTER COLUMN " + column + " ";
			if (!Objects.equals(was.group("type"), is.group("type"))
					|| !Objects.equals(was.group("collate"), is.group("collate"))) {
				actions.add(alter + "TYPE " + is.group("type")
						+ ((is.group("collate") != null) ? " COLLATE " + is.group("collate") : "") + " USING " + column
						+ "::" + is.group("type"));
			}
			if (!Objects.equals(was.group("default"), is.group("default"))) {
				actions.add(alter + ((is.group("default") != null) ? "SET DEFAULT " + is.group("default")
						: "DROP DEFAULT"));
			}
			if (!Objects.equals(was.group("nullable"), is.group("nullable"))) {
				actions.add(alter + (is.group("nullable").equals("not null") ? "SET NOT NULL" : "DROP NOT NULL"));
			}
			if (!Objects.equals(was.group("identity"), is.group("identity"))) {
				if (is.group("identity") == null) {
					actions.add(alter + "DROP IDENTITY IF EXISTS");
				}
				else if (was.group("identity") != null) {
					actions.add(alter + "SET GENERATED " + is.group("identity").toUpperCase(Locale.ROOT));
				}
				else {
					statements.add(ignoring("ALTER TABLE " + table + " " + alter + "ADD GENERATED "
							+ is.group("identity").toUpperCase(Locale.ROOT) + " AS IDENTITY",
							"object_not_in_prerequisite_state"));
				}
			}
			if (!Objects.equals(was.group("generated"), is.group("generated"))) {
				note("a generated column's expression cannot be changed in place; now "
						+ Objects.toString(is.group("generated"), "not generated"));
			}
			if (!actions.isEmpty()) {
				statements.add(0, "ALTER TABLE " + table + " " + String.join(", ", actions));
			}
			if (!statements.isEmpty()) {
				step(34, String.join(";\n", statements));
			}
		}

		private void constraint() {
			String table = tableName();
			String name = memberName();
			if (change() == DriftChange.REMOVED) {
				step(expectedDefinition().startsWith("FOREIGN KEY") ? 15 : 16,
						"ALTER TABLE " + table + " DROP CONSTRAINT IF EXISTS " + name);
				return;
			}
			String definition = definition();
			int phase = definition.startsWith("FOREIGN KEY") ? 36 : 35;
			if (change() == DriftChange.ADDED) {
				step(phase, ignoring("ALTER TABLE " + table + " ADD CONSTRAINT " + name + " " + definition,
						"duplicate_object OR duplicate_table"
								+ (definition.startsWith("PRIMARY KEY") ? " OR invalid_table_definition" : "")));
				return;
			}
			if (expectedDefinition().equals(definition + " NOT VALID")) {
				step(phase, "ALTER TABLE " + table + " VALIDATE CONSTRAINT " + name);
				return;
			}
			step(phase, "ALTER TABLE " + table + " DROP CONSTRAINT IF EXISTS " + name + ", ADD CONSTRAINT " + name + " "
					+ definition);
		}

		private void index() {
			String name = ownName();
			if (change() == DriftChange.REMOVED) {
				step(14, "DROP INDEX IF EXISTS " + name);
				return;
			}
			String definition = definition();
			if (definition.endsWith(" INVALID")) {
				note("the live index is INVALID (a failed CREATE INDEX CONCURRENTLY?): rebuild it with REINDEX, or "
						+ "drop it");
				return;
			}
			String create = definition.replaceFirst("^CREATE (UNIQUE )?INDEX ", "CREATE $1INDEX IF NOT EXISTS ");
			if (change() == DriftChange.ADDED) {
				step(40, create);
			}
			else {
				step(40, "DROP INDEX IF EXISTS " + name + ";\n" + create);
			}
		}

		private void view() {
			if (change() == DriftChange.REMOVED) {
				step(13, "DROP VIEW IF EXISTS " + ownName());
				return;
			}
			step(38, "CREATE OR REPLACE VIEW " + ownName() + " AS\n" + body(definition()));
		}

		private void materializedView() {
			String name = ownName();
			if (change() == DriftChange.REMOVED) {
				step(12, "DROP MATERIALIZED VIEW IF EXISTS " + name);
				return;
			}
			String create = "CREATE MATERIALIZED VIEW IF NOT EXISTS " + name + " AS\n" + body(definition());
			step(39, (change() == DriftChange.CHANGED) ? "DROP MATERIALIZED VIEW IF EXISTS " + name + ";\n" + create
					: create);
		}

		private void sequence() {
			String name = ownName();
			if (change() == DriftChange.REMOVED) {
				step(19, "DROP SEQUENCE IF EXISTS " + name);
				return;
			}
			Matcher is = SEQUENCE.matcher(definition());
			if (!is.matches()) {
				note("its definition could not be read");
				return;
			}
			String options = "AS " + is.group("type") + " INCREMENT BY " + is.group("increment") + " MINVALUE "
					+ is.group("min") + " MAXVALUE " + is.group("max") + " START WITH " + is.group("start") + " CACHE "
					+ is.group("cache") + ((is.group("cycle") != null) ? " CYCLE" : " NO CYCLE");
			String owner = is.group("owner");
			if (change() == DriftChange.ADDED) {
				step(31, "CREATE SEQUENCE IF NOT EXISTS " + name + " " + options);
				if (owner != null) {
					step(37, "-owned-by", "ALTER SEQUENCE " + name + " OWNED BY " + owner);
				}
				return;
			}
			step(37, "ALTER SEQUENCE " + name + " " + options + " OWNED BY " + ((owner != null) ? owner : "NONE"));
		}

		private void routine() {
			String keyword = this.object.type().toUpperCase(Locale.ROOT);
			if (change() == DriftChange.REMOVED) {
				step(20, "DROP " + keyword + " IF EXISTS " + routineName());
				return;
			}
			// pg_get_functiondef: CREATE OR REPLACE FUNCTION ..., schema-qualified.
			step(32, definition());
		}

		private void aggregate() {
			if (change() == DriftChange.REMOVED) {
				step(20, "DROP AGGREGATE IF EXISTS " + routineName());
				return;
			}
			Matcher is = AGGREGATE.matcher(definition());
			if (!is.matches()) {
				note("its definition could not be read");
				return;
			}
			step(41, "CREATE OR REPLACE AGGREGATE " + routineName() + " (SFUNC = " + is.group("transition")
					+ ", STYPE = " + is.group("state")
					+ ((is.group("final") != null) ? ", FINALFUNC = " + is.group("final") : "") + ")");
		}

		/** {@code name(arguments)} with the name qualified. */
		private String routineName() {
			String name = this.object.name();
			int open = name.indexOf('(');
			return qualify(name.substring(0, open)) + name.substring(open);
		}

		private void trigger() {
			String table = tableName();
			String name = memberName();
			String drop = "DROP TRIGGER IF EXISTS " + name + " ON " + table;
			if (change() == DriftChange.REMOVED) {
				step(11, drop);
				return;
			}
			Matcher is = TRIGGER_STATE.matcher(definition());
			is.matches();
			String state = switch (Objects.toString(is.group("state"), "")) {
				case "disabled" -> "DISABLE TRIGGER";
				case "enabled for replica" -> "ENABLE REPLICA TRIGGER";
				case "enabled always" -> "ENABLE ALWAYS TRIGGER";
				default -> "ENABLE TRIGGER";
			};
			String enable = "ALTER TABLE " + table + " " + state + " " + name;
			if (change() == DriftChange.CHANGED) {
				Matcher was = TRIGGER_STATE.matcher(expectedDefinition());
				if (was.matches() && was.group("definition").equals(is.group("definition"))) {
					step(42, enable);
					return;
				}
			}
			step(42, drop + ";\n" + is.group("definition")
					+ ((is.group("state") != null) ? ";\n" + enable : ""));
		}

		private void type() {
			String name = ownName();
			String definition = (this.after != null) ? this.after.definition() : expectedDefinition();
			boolean domain = definition.startsWith("domain ");
			if (change() == DriftChange.REMOVED) {
				step(21, "DROP " + (domain ? "DOMAIN" : "TYPE") + " IF EXISTS " + name);
				return;
			}
			if (change() == DriftChange.ADDED) {
				String create = createType(name, definition);
				if (create == null) {
					note("its definition could not be read");
				}
				else {
					step(30, ignoring(create, "duplicate_object"));
				}
				return;
			}
			String was = expectedDefinition();
			if (was.startsWith("enum (") && definition.startsWith("enum (")) {
				List<String> before = labels(was);
				List<String> now = labels(definition);
				if (isSubsequence(before, now)) {
					List<String> statements = new ArrayList<>();
					for (int i = 0; i < now.size(); i++) {
						if (!before.contains(now.get(i))) {
							statements.add("ALTER TYPE " + name + " ADD VALUE IF NOT EXISTS " + literal(now.get(i))
									+ ((i > 0) ? " AFTER " + literal(now.get(i - 1))
											: (now.size() > 1) ? " BEFORE " + literal(now.get(1)) : ""));
						}
					}
					step(30, String.join(";\n", statements));
					return;
				}
				note("enum values were removed or reordered, which ALTER TYPE cannot do; now " + definition);
				return;
			}
			if (was.startsWith("composite (") && definition.startsWith("composite (")
					&& definition.startsWith(was.substring(0, was.length() - 1) + ", ")) {
				String added = definition.substring(was.length() + 1, definition.length() - 1);
				List<String> statements = new ArrayList<>();
				for (String attribute : added.split(", (?=[^,()]+ )")) {
					statements.add(ignoring("ALTER TYPE " + name + " ADD ATTRIBUTE " + attribute, "duplicate_column"));
				}
				step(30, String.join(";\n", statements));
				return;
			}
			note("this change of a type cannot be expressed in place; was " + was + ", now " + definition);
		}

		private @Nullable String createType(String name, String definition) {
			if (definition.startsWith("enum (")) {
				return "CREATE TYPE " + name + " AS ENUM " + definition.substring("enum ".length());
			}
			if (definition.startsWith("composite (")) {
				return "CREATE TYPE " + name + " AS " + definition.substring("composite ".length());
			}
			if (definition.startsWith("domain ")) {
				return "CREATE DOMAIN " + name + " AS " + definition.substring("domain ".length());
			}
			if (definition.startsWith("range of ")) {
				return "CREATE TYPE " + name + " AS RANGE (SUBTYPE = " + definition.substring("range of ".length())
						+ ")";
			}
			return null;
		}

		private void policy() {
			String table = tableName();
			String name = memberName();
			String drop = "DROP POLICY IF EXISTS " + name + " ON " + table;
			if (change() == DriftChange.REMOVED) {
				step(10, drop);
				return;
			}
			String create = "CREATE POLICY " + name + " ON " + table + " AS " + definition();
			step(43, (change() == DriftChange.ADDED) ? ignoring(create, "duplicate_object") : drop + ";\n" + create);
		}

	}

	/** A view's query without the trailing semicolon {@code pg_get_viewdef} gives it. */
	private static String body(String definition) {
		String body = definition.strip();
		return body.endsWith(";") ? body.substring(0, body.length() - 1) : body;
	}

	/** The statement, doing nothing where what it creates is already there. */
	private static String ignoring(String statement, String conditions) {
		return "DO $lockstep$ BEGIN\n\t" + statement + ";\nEXCEPTION WHEN " + conditions + " THEN NULL;\nEND $lockstep$";
	}

	private static List<String> labels(String enumDefinition) {
		List<String> labels = new ArrayList<>();
		Matcher literal = LITERAL.matcher(enumDefinition);
		while (literal.find()) {
			labels.add(literal.group(1).replace("''", "'"));
		}
		return labels;
	}

	private static boolean isSubsequence(List<String> part, List<String> whole) {
		int i = 0;
		for (String item : whole) {
			if (i < part.size() && part.get(i).equals(item)) {
				i++;
			}
		}
		return i == part.size();
	}

	private static String literal(String text) {
		return "'" + text.replace("'", "''") + "'";
	}

	/** A name as shown ({@code name} in the default schema, {@code schema.name} elsewhere), schema-qualified. */
	private String qualify(String shown) {
		int dot = shown.indexOf('.');
		return (dot < 0) ? quote(this.defaultSchema) + "." + quote(shown)
				: quote(shown.substring(0, dot)) + "." + quote(shown.substring(dot + 1));
	}

	static String quote(String identifier) {
		if (PLAIN_NAME.matcher(identifier).matches() && !RESERVED.contains(identifier)) {
			return identifier;
		}
		return "\"" + identifier.replace("\"", "\"\"") + "\"";
	}

	private static String sha256(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
