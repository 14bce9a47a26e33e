package dev.lockstep.core.changelog;

import java.util.Map;

import liquibase.Scope;
import liquibase.changelog.StandardChangeLogHistoryService;
import liquibase.database.Database;

/**
 * Liquibase's history service, as used while a status read parses the changelog: it reads the history but never
 * creates or upgrades the DATABASECHANGELOG table.
 * <p>
 * Liquibase's parser asks the history service to {@code init()} (which creates the table when it is missing) for
 * every {@code include} it parses with a database in scope. Without this service, merely reading the status of a
 * changelog that includes files would create the history table: in {@code validate} and {@code report} modes,
 * which must change nothing, and in {@code apply} mode outside the lock. Selected only inside
 * {@link #readOnlyScope()}; every other Liquibase use keeps the standard service.
 */
public class StatusReadHistoryService extends StandardChangeLogHistoryService {

	static final String READ_ONLY_KEY = "lockstep.history.readOnly";

	/** Scope values that make Liquibase use this service for databases first used inside that scope. */
	static Map<String, Object> readOnlyScope() {
		return Map.of(READ_ONLY_KEY, Boolean.TRUE);
	}

	@Override
	public int getPriority() {
		return super.getPriority() + 100;
	}

	@Override
	public boolean supports(Database database) {
		return Boolean.TRUE.equals(Scope.getCurrentScope().get(READ_ONLY_KEY, Boolean.class))
				&& super.supports(database);
	}

	@Override
	public void init() {
		// Reading only: the history table is created by a run, under the lock.
	}

}
