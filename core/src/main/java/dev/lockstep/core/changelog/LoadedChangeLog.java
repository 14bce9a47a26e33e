package dev.lockstep.core.changelog;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

import liquibase.ChecksumVersion;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.change.CheckSum;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;

/**
 * A parsed changelog with the parameters, contexts and labels it was parsed with.
 *
 * @param location where it was loaded from
 * @param changeLog the parsed changelog
 * @param parameters its parameters
 * @param contexts the context filter
 * @param labels the label filter
 * @param checksums checksums computed so far, per changeset object and checksum version
 */
public record LoadedChangeLog(String location, DatabaseChangeLog changeLog, ChangeLogParameters parameters,
		Contexts contexts, LabelExpression labels, Map<ChangeSet, Map<Integer, CheckSum>> checksums) {

	public LoadedChangeLog(String location, DatabaseChangeLog changeLog, ChangeLogParameters parameters,
			Contexts contexts, LabelExpression labels) {
		this(location, changeLog, parameters, contexts, labels, Collections.synchronizedMap(new IdentityHashMap<>()));
	}

	/**
	 * The changeset's checksum in the given checksum version. A parsed changelog does not change, so each is
	 * computed once.
	 */
	public CheckSum checksum(ChangeSet changeSet, int version) {
		return this.checksums.computeIfAbsent(changeSet, (key) -> new java.util.concurrent.ConcurrentHashMap<>())
			.computeIfAbsent(version,
					(key) -> changeSet.generateCheckSum(ChecksumVersion.enumFromChecksumVersion(version)));
	}

	/**
	 * Whether the parse expanded Liquibase's schema-dependent {@code ${database.*}} parameters (such as
	 * {@code database.defaultSchemaName}): then it holds values of the schema it was parsed for and must not be
	 * reused on another one.
	 */
	public boolean usesDatabaseParameters() {
		return this.parameters instanceof SubstitutedParameters substituted && substituted.databaseParameterUsed();
	}

}
