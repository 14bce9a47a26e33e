package dev.lockstep.core.compat;

import dev.lockstep.core.problem.MigrationException;

/**
 * A Liquibase version that Lockstep is not tested with (Liquibase 5 or newer) is on the classpath, and untested
 * versions are not allowed. Carries both versions; the Spring layer phrases how to pin the tested one.
 */
public class UntestedLiquibaseException extends MigrationException {

	private final String foundVersion;

	private final String testedVersion;

	public UntestedLiquibaseException(String foundVersion, String testedVersion) {
		super("Liquibase " + foundVersion + " is on the classpath, but Lockstep is tested with Liquibase "
				+ testedVersion + " only.", "Use Liquibase " + testedVersion
						+ ", or allow untested Liquibase versions explicitly.");
		this.foundVersion = foundVersion;
		this.testedVersion = testedVersion;
	}

	/** The Liquibase version found on the classpath, as Liquibase reports it. */
	public String foundVersion() {
		return this.foundVersion;
	}

	/** The Liquibase version Lockstep is built and tested with. */
	public String testedVersion() {
		return this.testedVersion;
	}

}
