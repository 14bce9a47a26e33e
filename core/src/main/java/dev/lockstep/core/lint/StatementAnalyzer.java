package dev.lockstep.core.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * What one normalised statement (see {@link SqlStatements}) does that a rule cares about: the rule hits it raises
 * (before they are graded by the live table) and the tables it creates, changes (DDL) or backfills (DML).
 */
final class StatementAnalyzer {

	private static final String NAME = "(?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][\\w$]*)";

	private static final String QNAME = NAME + "(?:\\." + NAME + ")?";

	private static final int FLAGS = Pattern.CASE_INSENSITIVE;

	private static final Pattern CREATE_TABLE = Pattern.compile(
			"^CREATE (?:(?:GLOBAL |LOCAL )?(?:TEMP|TEMPORARY|UNLOGGED) )?TABLE (?:IF NOT EXISTS )?(" + QNAME + ")",
			FLAGS);

	private static final Pattern CREATE_INDEX = Pattern.compile("^CREATE (?:UNIQUE )?INDEX (CONCURRENTLY )?"
			+ "(?:IF NOT EXISTS )?(?:(" + NAME + ") )?ON (?:ONLY )?(" + QNAME + ")", FLAGS);

	private static final Pattern DROP_INDEX = Pattern
		.compile("^DROP INDEX (CONCURRENTLY )?(?:IF EXISTS )?(" + QNAME + ")", FLAGS);

	private static final Pattern ALTER_TABLE = Pattern
		.compile("^ALTER TABLE (?:IF EXISTS )?(?:ONLY )?(" + QNAME + ") (.*)$", FLAGS);

	private static final Pattern DROP_TABLE = Pattern.compile("^DROP TABLE (?:IF EXISTS )?(.*?)(?: CASCADE| RESTRICT)?$",
			FLAGS);

	private static final Pattern BACKFILL = Pattern
		.compile("^(?:WITH .*? )?(?:UPDATE (?:ONLY )?|DELETE FROM (?:ONLY )?)(" + QNAME + ")", FLAGS);

	private static final Pattern VACUUM = Pattern.compile("^VACUUM (?:\\(([^)]*)\\) )?((?:(?:FULL|FREEZE|VERBOSE|ANALYZE|ANALYSE) )*)(" + QNAME + ")?",
			FLAGS);

	private static final Pattern CLUSTER = Pattern.compile("^CLUSTER(?: VERBOSE)?(?: (" + QNAME + "))?", FLAGS);

	private static final Pattern LOCK = Pattern.compile("^LOCK (?:TABLE )?(?:ONLY )?(" + QNAME + ")", FLAGS);

	private static final Pattern REINDEX = Pattern.compile("^REINDEX (?:\\([^)]*\\) )?(INDEX|TABLE|SCHEMA|DATABASE|SYSTEM) "
			+ "(CONCURRENTLY )?(" + QNAME + ")", FLAGS);

	private static final Pattern VOLATILE_DEFAULT = Pattern.compile("\\b(random|clock_timestamp|timeofday|"
			+ "gen_random_uuid|uuid_generate_v[14]\\w*|nextval|txid_current)\\s*\\(", FLAGS);

	private StatementAnalyzer() {
	}

	/** Analyses one statement of a changeset that runs in a transaction or not. */
	static Analysis analyze(String statement, boolean inTransaction) {
		Analysis analysis = new Analysis();
		Matcher matcher;
		if ((matcher = CREATE_TABLE.matcher(statement)).lookingAt()) {
			analysis.created = TableName.of(matcher.group(1));
		}
		else if ((matcher = CREATE_INDEX.matcher(statement)).lookingAt()) {
			TableName table = TableName.of(matcher.group(3));
			if (matcher.group(2) != null) {
				analysis.createdIndex = new CreatedIndex(TableName.of(matcher.group(2)), table);
			}
			indexChange(analysis, matcher.group(1) != null, table, inTransaction, "CREATE INDEX");
		}
		else if ((matcher = DROP_INDEX.matcher(statement)).lookingAt()) {
			TableName index = TableName.of(matcher.group(2));
			analysis.droppedIndex = index;
			indexChange(analysis, matcher.group(1) != null, null, inTransaction, "DROP INDEX " + index.written());
		}
		else if ((matcher = ALTER_TABLE.matcher(statement)).lookingAt()) {
			TableName table = TableName.of(matcher.group(1));
			analysis.changed.add(table);
			for (String action : splitTopLevel(matcher.group(2))) {
				alterAction(analysis, table, action.strip());
			}
		}
		else if ((matcher = DROP_TABLE.matcher(statement)).lookingAt()) {
			for (String name : splitTopLevel(matcher.group(1))) {
				TableName table = TableName.of(name.strip());
				analysis.changed.add(table);
				analysis.hits.add(new Hit(LintRule.BREAKING_RENAME_DROP, table, "DROP TABLE " + table.written()));
			}
		}
		else if ((matcher = BACKFILL.matcher(statement)).lookingAt()) {
			analysis.backfilled.add(TableName.of(matcher.group(1)));
		}
		else if ((matcher = VACUUM.matcher(statement)).lookingAt()) {
			String options = String.valueOf(matcher.group(1)) + " " + matcher.group(2);
			if (options.toUpperCase(Locale.ROOT).matches(".*\\bFULL\\b.*")) {
				analysis.hits.add(new Hit(LintRule.BLOCKING_MAINTENANCE,
						(matcher.group(3) != null) ? TableName.of(matcher.group(3)) : null, "VACUUM FULL"));
			}
		}
		else if ((matcher = CLUSTER.matcher(statement)).lookingAt()) {
			analysis.hits.add(new Hit(LintRule.BLOCKING_MAINTENANCE,
					(matcher.group(1) != null) ? TableName.of(matcher.group(1)) : null, "CLUSTER"));
		}
		else if ((matcher = LOCK.matcher(statement)).lookingAt()) {
			analysis.hits.add(new Hit(LintRule.BLOCKING_MAINTENANCE, TableName.of(matcher.group(1)), "LOCK TABLE"));
		}
		else if ((matcher = REINDEX.matcher(statement)).lookingAt() && matcher.group(2) == null) {
			String kind = matcher.group(1).toUpperCase(Locale.ROOT);
			TableName name = TableName.of(matcher.group(3));
			analysis.hits.add(new Hit(LintRule.BLOCKING_MAINTENANCE, kind.equals("TABLE") ? name : null,
					"REINDEX " + kind + " " + name.written() + " without CONCURRENTLY"));
		}
		return analysis;
	}

	private static void indexChange(Analysis analysis, boolean concurrently, @Nullable TableName table,
			boolean inTransaction, String what) {
		if (concurrently && inTransaction) {
			analysis.hits.add(new Hit(LintRule.CONCURRENT_IN_TRANSACTION, table, what + " CONCURRENTLY"));
		}
		else if (!concurrently) {
			analysis.hits.add(new Hit(LintRule.INDEX_NOT_CONCURRENT, table, what + " without CONCURRENTLY"));
		}
	}

	private static final Pattern ADD_CONSTRAINT = Pattern
		.compile("^ADD (?:CONSTRAINT (" + NAME + ") )?(FOREIGN KEY|CHECK|UNIQUE|PRIMARY KEY|EXCLUDE)\\b(.*)$", FLAGS);

	private static final Pattern SET_NOT_NULL = Pattern
		.compile("^ALTER (?:COLUMN )?(" + NAME + ") SET NOT NULL$", FLAGS);

	private static final Pattern ALTER_TYPE = Pattern
		.compile("^ALTER (?:COLUMN )?(" + NAME + ") (?:SET DATA )?TYPE (.+?)(?: USING .*)?$", FLAGS);

	private static final Pattern ADD_COLUMN = Pattern
		.compile("^ADD (?:COLUMN )?(?:IF NOT EXISTS )?(" + NAME + ") (.*)$", FLAGS);

	private static final Pattern RENAME = Pattern
		.compile("^RENAME (?:(?:COLUMN )?(" + NAME + ") )?TO (" + NAME + ")$", FLAGS);

	private static final Pattern DROP_COLUMN = Pattern
		.compile("^DROP (?:COLUMN )?(?:IF EXISTS )?(?!CONSTRAINT\\b)(" + NAME + ")", FLAGS);

	// Statements are normalised to one line, so finding these anywhere is what ".*X.*" matched.
	private static final Pattern NOT_VALID = Pattern.compile("\\bNOT VALID\\b", FLAGS);

	private static final Pattern USING_INDEX = Pattern.compile("\\bUSING INDEX\\b(?! TABLESPACE)", FLAGS);

	private static final Pattern STORED_GENERATED = Pattern.compile("\\bGENERATED ALWAYS AS \\(.*\\) STORED\\b",
			FLAGS);

	private static final Pattern IDENTITY = Pattern.compile("\\bGENERATED (ALWAYS|BY DEFAULT) AS IDENTITY\\b", FLAGS);

	private static final Pattern SERIAL = Pattern.compile("(big|small)?serial\\b", FLAGS);

	private static final Pattern DEFAULT = Pattern.compile("\\bDEFAULT\\b", FLAGS);

	private static final Pattern REFERENCES = Pattern.compile("\\bREFERENCES\\b", FLAGS);

	private static final Pattern SET_LOGGED = Pattern.compile("^SET (UNLOGGED|LOGGED)$", FLAGS);

	private static void alterAction(Analysis analysis, TableName table, String action) {
		Matcher matcher;
		if ((matcher = ADD_CONSTRAINT.matcher(action)).lookingAt()) {
			String kind = matcher.group(2).toUpperCase(Locale.ROOT);
			String rest = matcher.group(3);
			String name = (matcher.group(1) != null) ? " " + matcher.group(1) : "";
			if ((kind.equals("FOREIGN KEY") || kind.equals("CHECK")) && !NOT_VALID.matcher(rest).find()) {
				analysis.hits.add(new Hit(LintRule.CONSTRAINT_NOT_VALID, table,
						kind + " constraint" + name + " added without NOT VALID"));
			}
			else if ((kind.equals("UNIQUE") || kind.equals("PRIMARY KEY"))
					&& !USING_INDEX.matcher(rest).find()) {
				analysis.hits.add(new Hit(LintRule.UNIQUE_WITHOUT_INDEX, table,
						kind + " constraint" + name + " added without USING INDEX"));
			}
			else if (kind.equals("EXCLUDE")) {
				analysis.hits.add(new Hit(LintRule.UNIQUE_WITHOUT_INDEX, table,
						"EXCLUDE constraint" + name + " builds its index under a lock that blocks writes"));
			}
		}
		else if ((matcher = SET_NOT_NULL.matcher(action)).lookingAt()) {
			analysis.hits.add(new Hit(LintRule.SET_NOT_NULL, table, "column " + matcher.group(1) + " SET NOT NULL",
					unquote(matcher.group(1)), null));
		}
		else if ((matcher = ALTER_TYPE.matcher(action)).lookingAt()) {
			analysis.hits.add(new Hit(LintRule.TABLE_REWRITE, table,
					"column " + matcher.group(1) + " changed to type " + matcher.group(2), unquote(matcher.group(1)),
					matcher.group(2).strip()));
		}
		else if ((matcher = RENAME.matcher(action)).lookingAt()) {
			String what = (matcher.group(1) != null) ? "column " + matcher.group(1) + " renamed to " + matcher.group(2)
					: "table renamed to " + matcher.group(2);
			analysis.hits.add(new Hit(LintRule.BREAKING_RENAME_DROP, table, what));
		}
		else if ((matcher = DROP_COLUMN.matcher(action)).lookingAt()) {
			analysis.hits.add(new Hit(LintRule.BREAKING_RENAME_DROP, table, "column " + matcher.group(1) + " dropped"));
		}
		else if ((matcher = ADD_COLUMN.matcher(action)).lookingAt()) {
			String definition = matcher.group(2);
			if (STORED_GENERATED.matcher(definition).find()) {
				analysis.hits.add(new Hit(LintRule.TABLE_REWRITE, table,
						"column " + matcher.group(1) + " added as a stored generated column"));
			}
			else if (IDENTITY.matcher(definition).find()) {
				// Every existing row gets its value: the table is rewritten.
				analysis.hits.add(new Hit(LintRule.TABLE_REWRITE, table,
						"column " + matcher.group(1) + " added as an identity column"));
			}
			else if (SERIAL.matcher(definition).lookingAt()
					|| (DEFAULT.matcher(definition).find() && VOLATILE_DEFAULT.matcher(definition).find())) {
				analysis.hits.add(new Hit(LintRule.TABLE_REWRITE, table,
						"column " + matcher.group(1) + " added with a volatile default"));
			}
			if (REFERENCES.matcher(definition).find()) {
				// A new column is all NULL: nothing to scan; the lock on the referenced table is brief.
				return;
			}
		}
		else if ((matcher = SET_LOGGED.matcher(action)).lookingAt()) {
			analysis.hits.add(new Hit(LintRule.TABLE_REWRITE, table, "SET " + matcher.group(1).toUpperCase(Locale.ROOT)));
		}
	}

	/** Splits at commas outside parentheses. */
	static List<String> splitTopLevel(String text) {
		List<String> parts = new ArrayList<>();
		int depth = 0;
		int start = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '(') {
				depth++;
			}
			else if (c == ')') {
				depth--;
			}
			else if (c == ',' && depth == 0) {
				parts.add(text.substring(start, i));
				start = i + 1;
			}
		}
		parts.add(text.substring(start));
		return parts;
	}

	static String unquote(String name) {
		return name.startsWith("\"") ? name.substring(1, name.length() - 1).replace("\"\"", "\"")
				: name.toLowerCase(Locale.ROOT);
	}

	/**
	 * A rule hit before grading.
	 * @param rule the rule
	 * @param table the table it concerns (graded by its size), or {@code null} when unknown (an index to drop:
	 * the analysis looks its table up)
	 * @param what what the statement does, for the message
	 * @param column the column concerned (set-not-null, type changes), or {@code null}
	 * @param newType the new type of a type change, or {@code null}
	 */
	record Hit(LintRule rule, @Nullable TableName table, String what, @Nullable String column,
			@Nullable String newType) {

		Hit(LintRule rule, @Nullable TableName table, String what) {
			this(rule, table, what, null, null);
		}

	}

	static final class Analysis {

		final List<Hit> hits = new ArrayList<>();

		final List<TableName> changed = new ArrayList<>();

		final List<TableName> backfilled = new ArrayList<>();

		@Nullable TableName created;

		@Nullable TableName droppedIndex;

		@Nullable CreatedIndex createdIndex;

	}

	/**
	 * A named index a statement creates (a later DROP INDEX of it is graded by its table).
	 * @param index the index
	 * @param table its table
	 */
	record CreatedIndex(TableName index, TableName table) {
	}

}
