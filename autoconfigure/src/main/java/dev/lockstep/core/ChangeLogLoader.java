package dev.lockstep.core;

import java.util.List;


import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.StandardChangeLogHistoryService;
import liquibase.database.Database;
import liquibase.parser.ChangeLogParser;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.parser.core.xml.XMLChangeLogSAXParser;
import liquibase.resource.Resource;
import liquibase.resource.ResourceAccessor;

/**
 * Parses the master changelog the way Liquibase's update command does, so that changeset identities (and so the
 * DATABASECHANGELOG rows) are exactly those plain Liquibase produces.
 */
public final class ChangeLogLoader {

	private final ResourceAccessor resources;

	public ChangeLogLoader(ResourceAccessor resources) {
		this.resources = resources;
	}

	public ResourceAccessor resources() {
		return this.resources;
	}

	public LoadedChangeLog load(Database database, MigrationSettings settings) {
		String location = settings.changeLog();
		requireExists(location);
		ChangeLogParameters parameters = new ChangeLogParameters(database);
		settings.parameters().forEach(parameters::set);
		Contexts contexts = new Contexts(settings.contexts());
		LabelExpression labels = new LabelExpression(settings.labelFilter());
		if (!contexts.isEmpty()) {
			parameters.setContexts(contexts);
		}
		if (!labels.isEmpty()) {
			parameters.setLabels(labels);
		}
		// Liquibase's include handling creates DATABASECHANGELOG when a database is in scope (to read which
		// changesets ran under another logical path). Without the table nothing ran, so parse without the database:
		// reading the changelog must never change the database (status, validate, report, sql, a refused apply).
		Database scopeDatabase = hasHistoryTable(database) ? database : null;
		try {
			DatabaseChangeLog changeLog = LiquibaseScope.call(this.resources, scopeDatabase, () -> {
				ChangeLogParser parser = ChangeLogParserFactory.getInstance().getParser(location, this.resources);
				if (parser instanceof XMLChangeLogSAXParser xmlParser) {
					xmlParser.setShouldWarnOnMismatchedXsdVersion(false);
				}
				return parser.parse(location, parameters, this.resources);
			});
			return new LoadedChangeLog(location, changeLog, parameters, contexts, labels);
		}
		catch (Exception ex) {
			throw new ChangeLogException(location,
					"Changelog " + location + " cannot be read: " + DatabaseUnavailableException.rootMessage(ex),
					"Fix the file named above (YAML/XML/SQL syntax, included paths, changeset attributes) "
							+ "and start again; nothing was changed in the database.",
					ex);
		}
	}

	private static boolean hasHistoryTable(Database database) {
		try {
			StandardChangeLogHistoryService history = new StandardChangeLogHistoryService();
			history.setDatabase(database);
			return history.hasDatabaseChangeLogTable();
		}
		catch (RuntimeException ex) {
			// Cannot tell: parse as Liquibase's update would.
			return true;
		}
	}

	private void requireExists(String location) {
		List<Resource> found;
		try {
			found = this.resources.getAll(location);
		}
		catch (Exception ex) {
			found = null;
		}
		if (found == null || found.isEmpty() || found.stream().noneMatch(Resource::exists)) {
			throw new ChangeLogException(location, "Changelog " + location + " does not exist.",
					"Create it, or point migrations.change-log at your master changelog "
							+ "(e.g. classpath:db/changelog/db.changelog-master.yaml or file:/path/to/master.xml).",
					null);
		}
	}


}
