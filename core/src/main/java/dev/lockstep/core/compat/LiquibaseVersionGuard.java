package dev.lockstep.core.compat;

import liquibase.util.LiquibaseUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses to run on a Liquibase major version that Lockstep is not tested with. Liquibase 5 changed its licence
 * (it is no longer open source) and its internals that Lockstep uses (the lock service, history service, change-log
 * parsing) are untested with it; a dependency manager that follows Spring Boot's BOM brings it in unless Liquibase
 * is pinned. Versions Liquibase cannot tell (a development build reports {@code DEV}) are let through.
 */
public final class LiquibaseVersionGuard {

	/** The Liquibase version Lockstep is built and tested with. */
	public static final String TESTED_VERSION = "4.33.0";

	private static final int HIGHEST_TESTED_MAJOR = 4;

	private static final Logger logger = LoggerFactory.getLogger(LiquibaseVersionGuard.class);

	private LiquibaseVersionGuard() {
	}

	/**
	 * Checks the Liquibase on the classpath.
	 * @param allowUntested whether an untested version only logs a warning instead of failing
	 * @throws UntestedLiquibaseException if the version is untested and untested versions are not allowed
	 */
	public static void check(boolean allowUntested) {
		check(LiquibaseUtil.getBuildVersion(), allowUntested);
	}

	/** Checks the given Liquibase version, as {@link LiquibaseUtil#getBuildVersion()} reports it. */
	static void check(String version, boolean allowUntested) {
		if (!isUntested(version)) {
			return;
		}
		if (!allowUntested) {
			throw new UntestedLiquibaseException(version, TESTED_VERSION);
		}
		logger.warn("Liquibase {} is on the classpath, but Lockstep is tested with Liquibase {} only; going on because"
				+ " untested Liquibase versions are allowed.", version, TESTED_VERSION);
	}

	static boolean isUntested(String version) {
		int dot = version.indexOf('.');
		String major = (dot >= 0) ? version.substring(0, dot) : version;
		try {
			return Integer.parseInt(major.trim()) > HIGHEST_TESTED_MAJOR;
		}
		catch (NumberFormatException ex) {
			// DEV or UNKNOWN: not a release Liquibase can name, so nothing to compare.
			return false;
		}
	}

}
