package dev.lockstep.core.lock;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.lockstep.core.api.LockHolder;
import dev.lockstep.core.jdbc.HistoryLocation;
import dev.lockstep.core.problem.LockTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The PostgreSQL session advisory lock, on a real (embedded) PostgreSQL.
 */
class PostgresAdvisoryLockTests extends AbstractMigrationLockTests {

	private LockTestPostgres db;

	private final HistoryLocation history = new HistoryLocation(null);

	@BeforeEach
	void createDatabase() {
		this.db = LockTestPostgres.createDatabase();
	}

	@Override
	protected MigrationLock lockFor(String instance) throws SQLException {
		try (Connection connection = connect()) {
			return MigrationLocks.standard()
				.lockFor(connection, new MigrationLockContext(this.db::connect, (c) -> liquibaseDatabase(c),
						this.history, PostgresAdvisoryLock.holderName(instance, 4242, "host-" + instance)));
		}
	}

	@Override
	protected Connection connect() {
		return this.db.connect("lock-test");
	}

	@Override
	protected void assertHeldBy(LockHolder holder, String instance) {
		assertThat(holder.application()).isEqualTo(instance);
		assertThat(holder.host()).isEqualTo("host-" + instance);
		assertThat(holder.pid()).isEqualTo(4242L);
		assertThat(holder.kind()).isEqualTo("advisory");
		assertThat(holder.since()).as("since when it is held").isNotNull();
	}

	@Test
	void factoryPicksTheAdvisoryLockOnPostgres() throws Exception {
		assertThat(lockFor("a")).isInstanceOf(PostgresAdvisoryLock.class);
	}

	@Test
	void endingTheHoldersSessionFreesTheLock() throws Exception {
		LockHandle first = acquire("a", Duration.ofSeconds(5));
		int pid = backendPid(first.session());
		try (Connection admin = connect(); Statement statement = admin.createStatement()) {
			statement.execute("SELECT pg_terminate_backend(" + pid + ")");
		}
		assertThat(acquire("b", Duration.ofSeconds(30)).session().isValid(5)).isTrue();
	}

	@Test
	void closingReleasesLiquibasesRowLeftLockedByTheRunButNotAForeignOne() throws Exception {
		try (Connection admin = connect(); Statement statement = admin.createStatement()) {
			statement.execute("CREATE TABLE databasechangeloglock (id INT PRIMARY KEY, locked BOOLEAN NOT NULL, "
					+ "lockgranted TIMESTAMP, lockedby VARCHAR(255))");
			statement.execute("INSERT INTO databasechangeloglock VALUES (1, TRUE, now(), 'host (10.0.0.1) "
					+ ChangeLogLockRow.MARKER + " lockstep:1@host:app')");
			acquire("a", Duration.ofSeconds(5)).close();
			assertThat(locked(statement)).as("row left by the run, after close").isFalse();
			statement.execute("UPDATE databasechangeloglock SET locked = TRUE, lockedby = 'cli-host (10.0.0.2)'");
			acquire("b", Duration.ofSeconds(5)).close();
			assertThat(locked(statement)).as("row of a Liquibase client outside Lockstep, after close").isTrue();
		}
	}

	/**
	 * Inside the advisory lock's scope Liquibase takes its row through Lockstep's lock service, which waits for a
	 * row held by a client outside Lockstep only as long as it is told, then fails with the holder's data.
	 */
	@Test
	void liquibaseWaitsForAForeignRowAsLongAsToldThenNamesItsHolder() throws Exception {
		try (Connection admin = connect(); Statement statement = admin.createStatement()) {
			statement.execute("CREATE TABLE databasechangeloglock (id INT PRIMARY KEY, locked BOOLEAN NOT NULL, "
					+ "lockgranted TIMESTAMP, lockedby VARCHAR(255))");
			statement.execute("INSERT INTO databasechangeloglock VALUES (1, TRUE, now(), 'cli-host (10.0.0.2)')");
		}
		MigrationLock lock = lockFor("a");
		LockHandle handle = acquire("a", Duration.ofSeconds(5));
		Map<String, Object> scope = new HashMap<>(lock.liquibaseScope(Duration.ofSeconds(1)));
		scope.put(Scope.Attr.resourceAccessor.name(), new ClassLoaderResourceAccessor());
		Throwable failure = catchThrowable(() -> Scope.child(scope,
				() -> new CommandScope(UpdateCommandStep.COMMAND_NAME)
					.addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG,
							liquibaseDatabase(handle.session()))
					.addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG,
							"dev/lockstep/core/lock/row-held-changelog.yaml")
					.execute()));
		LockTimeoutException timeout = cause(failure, LockTimeoutException.class);
		assertThat(timeout).as("typed cause of %s", failure).isNotNull();
		assertThat(timeout.getMessage()).contains("DATABASECHANGELOGLOCK is held by cli-host (10.0.0.2)");
		assertThat(timeout.holder()).isNotNull();
		assertThat(timeout.holder().application()).isEqualTo("cli-host (10.0.0.2)");
		assertThat(timeout.holder().kind()).isEqualTo("changelog-lock-row");
		try (Connection admin = connect(); Statement statement = admin.createStatement()) {
			assertThat(locked(statement)).as("the foreign client's row").isTrue();
			assertThat(count(statement, "SELECT count(*) FROM pg_tables WHERE tablename = 'customers'")).isZero();
		}
	}

	private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (type.isInstance(candidate)) {
				return type.cast(candidate);
			}
		}
		return null;
	}

	private static int count(Statement statement, String sql) throws SQLException {
		try (ResultSet rows = statement.executeQuery(sql)) {
			rows.next();
			return rows.getInt(1);
		}
	}

	private static boolean locked(Statement statement) throws SQLException {
		try (ResultSet rows = statement.executeQuery("SELECT locked FROM databasechangeloglock WHERE id = 1")) {
			rows.next();
			return rows.getBoolean(1);
		}
	}

	private static int backendPid(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
			rows.next();
			return rows.getInt(1);
		}
	}

	private static liquibase.database.Database liquibaseDatabase(Connection connection) {
		try {
			return DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
		}
		catch (liquibase.exception.DatabaseException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
