package dev.lockstep.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the benchmark changelogs: a master that includes {@code files} YAML files holding {@code changeSets}
 * changesets in all (tables, added columns, indexes, rows), and a small changelog with one slow changeset.
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

}
