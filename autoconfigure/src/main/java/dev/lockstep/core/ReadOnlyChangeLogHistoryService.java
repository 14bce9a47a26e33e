package dev.lockstep.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import liquibase.Scope;
import liquibase.changelog.StandardChangeLogHistoryService;
import liquibase.database.Database;
import liquibase.exception.DatabaseException;

/**
 * Liquibase's history service for databases whose changelog Lockstep parses: it reads DATABASECHANGELOG like the
 * standard service, but while the changelog is parsed it never creates or upgrades that table.
 * <p>
 * Liquibase's parser initializes the history service of the database in scope at every {@code include}, which
 * creates DATABASECHANGELOG when it is missing. Lockstep parses in its status session, outside the lock, so
 * without this a mere status read (and {@code validate} or {@code report} mode) would create the table, and
 * replicas starting together on an empty database would race to create it. The parser only needs the rows that
 * already exist, which this service reads as the standard one does. Selected only for databases first used inside
 * a {@link Parse}; outside it, it behaves exactly like the standard service.
 */
public class ReadOnlyChangeLogHistoryService extends StandardChangeLogHistoryService {

	static final String SCOPE_KEY = "lockstep.changelogHistory.readOnlyParse";

	@Override
	public int getPriority() {
		return super.getPriority() + 100;
	}

	@Override
	public boolean supports(Database database) {
		return currentParse() != null && super.supports(database);
	}

	@Override
	public void setDatabase(Database database) {
		super.setDatabase(database);
		Parse parse = currentParse();
		if (parse != null) {
			parse.services.add(this);
		}
	}

	@Override
	public void init() throws DatabaseException {
		if (currentParse() != null) {
			// Reading needs no initialization: a missing table reads as an empty history.
			return;
		}
		super.init();
	}

	private static Parse currentParse() {
		return Scope.getCurrentScope().get(SCOPE_KEY, Parse.class);
	}

	/**
	 * One parse, during which the history is read but never created or changed.
	 */
	static final class Parse {

		private final List<ReadOnlyChangeLogHistoryService> services = new ArrayList<>();

		Map<String, Object> scope() {
			return Map.of(SCOPE_KEY, this);
		}

		/** Drops what the parse read, so that a later use of the same database reads afresh. */
		void end() {
			this.services.forEach(ReadOnlyChangeLogHistoryService::reset);
		}

	}

}
