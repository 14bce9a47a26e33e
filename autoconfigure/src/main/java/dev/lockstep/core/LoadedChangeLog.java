package dev.lockstep.core;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.DatabaseChangeLog;

/**
 * A parsed changelog with the parameters, contexts and labels it was parsed with.
 *
 * @param location where it was loaded from
 * @param changeLog the parsed changelog
 * @param parameters its parameters
 * @param contexts the context filter
 * @param labels the label filter
 */
public record LoadedChangeLog(String location, DatabaseChangeLog changeLog, ChangeLogParameters parameters,
		Contexts contexts, LabelExpression labels) {
}
