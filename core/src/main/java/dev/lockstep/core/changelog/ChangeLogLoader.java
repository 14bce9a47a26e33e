package dev.lockstep.core.changelog;

import java.util.List;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;
import liquibase.parser.ChangeLogParser;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.parser.core.xml.XMLChangeLogSAXParser;
import liquibase.resource.Resource;
import liquibase.resource.ResourceAccessor;

import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.problem.Phrase;
import dev.lockstep.core.problem.Wording;
import dev.lockstep.core.problem.ChangeLogException;
import dev.lockstep.core.problem.DatabaseUnavailableException;

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
		ChangeLogParameters parameters = new SubstitutedParameters(database, settings.parameters());
		Contexts contexts = new Contexts(settings.contexts());
		LabelExpression labels = new LabelExpression(settings.labelFilter());
		if (!contexts.isEmpty()) {
			parameters.setContexts(contexts);
		}
		if (!labels.isEmpty()) {
			parameters.setLabels(labels);
		}
		try {
			// Parsing an include reads the history: read it without creating the table (status reads change nothing).
			DatabaseChangeLog changeLog = LiquibaseScope.call(this.resources, database,
					StatusReadHistoryService.readOnlyScope(), () -> {
						ChangeLogParser parser = ChangeLogParserFactory.getInstance().getParser(location,
								this.resources);
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

	private void requireExists(String location) {
		List<Resource> found;
		try {
			found = this.resources.getAll(location);
		}
		catch (Exception ex) {
			found = null;
		}
		if (found == null || found.isEmpty() || found.stream().noneMatch(Resource::exists)) {
			throw new ChangeLogException(location, Phrase.of("Changelog " + location + " does not exist."),
					(wording) -> "Create it, or point " + wording.setting(Wording.Setting.CHANGE_LOG)
							+ " at your master changelog "
							+ "(e.g. classpath:db/changelog/db.changelog-master.yaml or file:/path/to/master.xml).",
					null);
		}
	}


}
