package dev.lockstep.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the benchmark changelogs: a master that includes {@code files} YAML files holding {@code changeSets}
 * changesets in all (tables, added columns, indexes, rows), a small changelog with one slow changeset, and a wide
 * schema for the drift check.
 */
final class ChangelogGenerator {

	private ChangelogGenerator() {
	}

	static Path generate(Path directory, int changeSets, int files) throws IOException {
		Files.createDirectories(directory);
		StringBuilder master = new StringBuilder("databaseChangeLog:\n");
		int perFile = changeSets / files;
		for (int f = 0; f < files; f++) {
			String name = String.format("part-%03d.yaml", f);
			master.append("  - include:\n      file: ").append(name).append("\n      relativeToChangelogFile: true\n");
			StringBuilder part = new StringBuilder("databaseChangeLog:\n");
			for (int c = 0; c < perFile; c++) {
				String table = "t_" + f + "_" + (c / 4);
				part.append("  - changeSet:\n      id: ").append(f).append('-').append(c).append("\n      author: bench\n")
					.append("      changes:\n");
				switch (c % 4) {
					case 0 -> part.append("        - createTable:\n            tableName: ").append(table)
						.append("\n            columns:\n")
						.append("              - column: {name: id, type: bigint, constraints: {primaryKey: true}}\n")
						.append("              - column: {name: name, type: varchar(100)}\n");
					case 1 -> part.append("        - addColumn:\n            tableName: ").append(table)
						.append("\n            columns:\n              - column: {name: created_at, type: timestamp}\n");
					case 2 -> part.append("        - createIndex:\n            tableName: ").append(table)
						.append("\n            indexName: ix_").append(table)
						.append("\n            columns:\n              - column: {name: name}\n");
					default -> part.append("        - insert:\n            tableName: ").append(table)
						.append("\n            columns:\n              - column: {name: id, valueNumeric: 1}\n")
						.append("              - column: {name: name, value: row}\n");
				}
			}
			Files.writeString(directory.resolve(name), part);
		}
		Path masterFile = directory.resolve("master.yaml");
		Files.writeString(masterFile, master);
		return masterFile;
	}

	/**
	 * A changelog that builds a wide schema, one changeset per table: {@code tables} tables of 10 columns (a
	 * primary key, defaults, a not-null column), a foreign key to the previous table and, on every second table,
	 * one to a table further back, two indexes and a check constraint; {@code files} files.
	 */
	static Path wideSchema(Path directory, int tables, int files) throws IOException {
		Files.createDirectories(directory);
		StringBuilder master = new StringBuilder("databaseChangeLog:\n");
		int perFile = tables / files;
		for (int f = 0; f < files; f++) {
			String name = String.format("wide-%03d.yaml", f);
			master.append("  - include:\n      file: ").append(name).append("\n      relativeToChangelogFile: true\n");
			StringBuilder part = new StringBuilder("databaseChangeLog:\n");
			for (int t = f * perFile; t < (f + 1) * perFile; t++) {
				String table = wideTable(t);
				part.append("  - changeSet:\n      id: ").append(table).append("\n      author: bench\n      changes:\n")
					.append("        - createTable:\n            tableName: ").append(table)
					.append("\n            columns:\n")
					.append("              - column: {name: id, type: bigint, constraints: {primaryKey: true, "
							+ "primaryKeyName: ").append(table).append("_pk}}\n")
					.append("              - column: {name: parent_id, type: bigint}\n")
					.append("              - column: {name: other_id, type: bigint}\n")
					.append("              - column: {name: name, type: varchar(100), constraints: {nullable: false}}\n")
					.append("              - column: {name: code, type: varchar(20)}\n")
					.append("              - column: {name: amount, type: 'numeric(12,2)'}\n")
					.append("              - column: {name: created_at, type: timestamp, defaultValueComputed: now()}\n")
					.append("              - column: {name: active, type: boolean, defaultValueBoolean: true}\n")
					.append("              - column: {name: note, type: text}\n")
					.append("              - column: {name: qty, type: int}\n");
				if (t > 0) {
					foreignKey(part, table, "parent_id", wideTable(t - 1));
				}
				if (t > 1 && t % 2 == 0) {
					foreignKey(part, table, "other_id", wideTable(t / 2));
				}
				part.append("        - createIndex:\n            tableName: ").append(table)
					.append("\n            indexName: ").append(table).append("_name_ix\n")
					.append("            columns: [{column: {name: name}}]\n")
					.append("        - createIndex:\n            tableName: ").append(table)
					.append("\n            indexName: ").append(table).append("_parent_ix\n")
					.append("            columns: [{column: {name: parent_id}}, {column: {name: created_at}}]\n")
					.append("        - sql:\n            sql: ALTER TABLE ").append(table).append(" ADD CONSTRAINT ")
					.append(table).append("_amount_ck CHECK (amount >= 0)\n");
			}
			Files.writeString(directory.resolve(name), part);
		}
		Path masterFile = directory.resolve("master.yaml");
		Files.writeString(masterFile, master);
		return masterFile;
	}

	static String wideTable(int index) {
		return String.format("w_%04d", index);
	}

	private static void foreignKey(StringBuilder part, String table, String column, String referenced) {
		part.append("        - addForeignKeyConstraint:\n            baseTableName: ").append(table)
			.append("\n            baseColumnNames: ").append(column)
			.append("\n            constraintName: ").append(table).append('_').append(column).append("_fk")
			.append("\n            referencedTableName: ").append(referenced)
			.append("\n            referencedColumnNames: id\n");
	}

	static Path slow(Path directory, int seconds) throws IOException {
		Files.createDirectories(directory);
		StringBuilder log = new StringBuilder("databaseChangeLog:\n");
		for (int c = 0; c < 10; c++) {
			log.append("  - changeSet:\n      id: slow-").append(c).append("\n      author: bench\n      changes:\n")
				.append("        - createTable:\n            tableName: s_").append(c).append('\n')
				.append("            columns:\n              - column: {name: id, type: bigint}\n");
			if (c == 4) {
				log.append("        - sql:\n            sql: SELECT pg_sleep(").append(seconds).append(")\n");
			}
		}
		Path master = directory.resolve("master.yaml");
		Files.writeString(master, log);
		return master;
	}


	/**
	 * A changelog whose one changeset alters the table {@code traffic} (adds a nullable column: instant, but it
	 * needs the table's ACCESS EXCLUSIVE lock).
	 */
	static Path alterTraffic(Path directory) throws IOException {
		Files.createDirectories(directory);
		Path master = directory.resolve("master.yaml");
		Files.writeString(master, """
				databaseChangeLog:
				  - changeSet:
				      id: alter-traffic
				      author: bench
				      changes:
				        - addColumn:
				            tableName: traffic
				            columns:
				              - column: {name: note, type: varchar(100)}
				""");
		return master;
	}

	/**
	 * The {@link #generate} changelog followed by {@code files} more YAML files holding {@code changeSets}
	 * changesets in all that change its existing tables the way releases do (columns added, indexes, NOT NULL, type
	 * changes, foreign keys, renames, backfills, raw SQL), so that linting them asks the live database about each
	 * table. Apply the first {@code changeSets} changesets to leave exactly these pending.
	 */
	static Path followUp(Path directory, int changeSets, int files) throws IOException {
		Path master = generate(directory, changeSets, files);
		StringBuilder log = new StringBuilder(Files.readString(master));
		int perFile = changeSets / files;
		for (int f = 0; f < files; f++) {
			String name = String.format("next-%03d.yaml", f);
			log.append("  - include:\n      file: ").append(name).append("\n      relativeToChangelogFile: true\n");
			StringBuilder part = new StringBuilder("databaseChangeLog:\n");
			for (int c = 0; c < perFile; c++) {
				// The two tables of the part that got a row (the third one, if any, is empty).
				String table = "t_" + f + "_" + (c % 2);
				part.append("  - changeSet:\n      id: next-").append(f).append('-').append(c)
					.append("\n      author: bench\n      changes:\n");
				switch (c % 10) {
					case 0 -> part.append("        - addColumn:\n            tableName: ").append(table)
						.append("\n            columns:\n              - column: {name: c").append(c)
						.append(", type: varchar(50)}\n");
					case 1 -> part.append("        - createIndex:\n            tableName: ").append(table)
						.append("\n            indexName: ix_next_").append(f).append('_').append(c)
						.append("\n            columns:\n              - column: {name: created_at}\n");
					case 2 -> part.append("        - addNotNullConstraint:\n            tableName: ").append(table)
						.append("\n            columnName: name\n            columnDataType: varchar(100)\n");
					case 3 -> part.append("        - modifyDataType:\n            tableName: ").append(table)
						.append("\n            columnName: name\n            newDataType: varchar(200)\n");
					case 4 -> part.append("        - modifyDataType:\n            tableName: ").append(table)
						.append("\n            columnName: id\n            newDataType: numeric(20)\n");
					case 5 -> part.append("        - addForeignKeyConstraint:\n            baseTableName: ").append(table)
						.append("\n            baseColumnNames: id\n            referencedTableName: t_").append(f)
						.append("_0\n            referencedColumnNames: id\n            constraintName: fk_next_").append(f)
						.append('_').append(c).append('\n');
					case 6 -> part.append("        - addUniqueConstraint:\n            tableName: ").append(table)
						.append("\n            columnNames: name\n            constraintName: uq_next_").append(f)
						.append('_').append(c).append('\n');
					case 7 -> part.append("        - update:\n            tableName: ").append(table)
						.append("\n            columns:\n              - column: {name: name, value: x}\n")
						.append("        - addColumn:\n            tableName: ").append(table)
						.append("\n            columns:\n              - column: {name: d").append(c)
						.append(", type: int}\n");
					case 8 -> part.append("        - sql:\n            sql: >-\n              ALTER TABLE ").append(table)
						.append(" ADD COLUMN s").append(c).append(" text; CREATE INDEX CONCURRENTLY ix_s_").append(f)
						.append('_').append(c).append(" ON ").append(table).append(" (name)\n");
					default -> part.append("        - renameColumn:\n            tableName: ").append(table)
						.append("\n            oldColumnName: created_at\n            newColumnName: created_").append(c)
						.append('\n');
				}
			}
			Files.writeString(directory.resolve(name), part);
		}
		Files.writeString(master, log);
		return master;
	}

	/**
	 * A tenant's changelog: {@code files} YAML files holding {@code changeSets} changesets in all, four per table of
	 * the kinds an application's changelog has: a table created, a column added, an index, and a raw SQL changeset
	 * that seeds a row (unqualified names, so it lands in whatever schema the session resolves them in).
	 */
	static Path tenant(Path directory, int changeSets, int files) throws IOException {
		Files.createDirectories(directory);
		StringBuilder master = new StringBuilder("databaseChangeLog:\n");
		int perFile = changeSets / files;
		for (int f = 0; f < files; f++) {
			String name = String.format("tenant-%03d.yaml", f);
			master.append("  - include:\n      file: ").append(name).append("\n      relativeToChangelogFile: true\n");
			StringBuilder part = new StringBuilder("databaseChangeLog:\n");
			for (int c = 0; c < perFile; c++) {
				String table = "tt_" + f + "_" + (c / 4);
				part.append("  - changeSet:\n      id: ").append(f).append('-').append(c).append("\n      author: bench\n")
					.append("      changes:\n");
				switch (c % 4) {
					case 0 -> part.append("        - createTable:\n            tableName: ").append(table)
						.append("\n            columns:\n")
						.append("              - column: {name: id, type: bigint, constraints: {primaryKey: true}}\n")
						.append("              - column: {name: name, type: varchar(100), constraints: {nullable: false}}\n")
						.append("              - column: {name: amount, type: 'numeric(12,2)'}\n");
					case 1 -> part.append("        - addColumn:\n            tableName: ").append(table)
						.append("\n            columns:\n")
						.append("              - column: {name: created_at, type: timestamp, defaultValueComputed: now()}\n");
					case 2 -> part.append("        - createIndex:\n            tableName: ").append(table)
						.append("\n            indexName: ix_").append(table)
						.append("\n            columns:\n              - column: {name: name}\n");
					default -> part.append("        - sql:\n            sql: INSERT INTO ").append(table)
						.append(" (id, name, amount) VALUES (1, 'seed', 0)\n");
				}
			}
			Files.writeString(directory.resolve(name), part);
		}
		Path masterFile = directory.resolve("master.yaml");
		Files.writeString(masterFile, master);
		return masterFile;
	}

}
