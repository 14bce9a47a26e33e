package dev.lockstep.core.lock;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.util.NetUtil;

import org.junit.jupiter.api.Test;

import dev.lockstep.core.api.LockHolder;
import dev.lockstep.core.jdbc.HistoryLocation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fallback for databases without advisory locks, Liquibase's DATABASECHANGELOGLOCK row, on a real H2 database.
 * Liquibase's row names the host only, so instances of one host cannot be told apart by the holder.
 */
class LiquibaseRowLockTests extends AbstractMigrationLockTests {

	private final String url = "jdbc:h2:mem:lock_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

	private final HistoryLocation history = new HistoryLocation(null);

	@Override
	protected MigrationLock lockFor(String instance) throws SQLException {
		try (Connection connection = connect()) {
			return MigrationLocks.standard()
				.lockFor(connection, new MigrationLockContext((name) -> open(), LiquibaseRowLockTests::liquibaseDatabase,
						this.history, PostgresAdvisoryLock.holderName(instance, 4242, "host-" + instance)));
		}
	}

	@Override
	protected Connection connect() throws SQLException {
		return DriverManager.getConnection(this.url, "sa", "");
	}

	@Override
	protected void assertHeldBy(LockHolder holder, String instance) {
		assertThat(holder.kind()).isEqualTo("changelog-lock-row");
		assertThat(holder.application()).as("Liquibase's LOCKEDBY").startsWith(hostName())
			.doesNotContain(ChangeLogLockRow.MARKER);
		assertThat(holder.since()).as("since when it is held").isNotNull();
	}

	@Test
	void factoryFallsBackToLiquibasesRowWithoutAdvisoryLocks() throws Exception {
		assertThat(lockFor("a")).isInstanceOf(LiquibaseRowLock.class);
	}

	/**
	 * A real Liquibase update inside the held row: Liquibase finds its row locked and neither waits for it nor
	 * releases it; the handle does when it is closed.
	 */
	@Test
	void liquibaseRunsUnderTheHeldRowWhichStaysHeldUntilTheHandleCloses() throws Exception {
		MigrationLock lock = lockFor("a");
		LockHandle handle = acquire("a", java.time.Duration.ofSeconds(5));
		Database database = liquibaseDatabase(handle.session());
		Map<String, Object> scope = new HashMap<>(lock.liquibaseScope(java.time.Duration.ofSeconds(3)));
		scope.put(Scope.Attr.resourceAccessor.name(), new ClassLoaderResourceAccessor());
		Scope.child(scope, () -> new CommandScope(UpdateCommandStep.COMMAND_NAME)
			.addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
			.addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, "dev/lockstep/core/lock/row-held-changelog.yaml")
			.execute());
		try (Connection status = connect(); Statement statement = status.createStatement()) {
			assertThat(count(statement, "SELECT COUNT(*) FROM DATABASECHANGELOG")).as("changesets applied").isOne();
			assertThat(count(statement, "SELECT COUNT(*) FROM DATABASECHANGELOGLOCK WHERE LOCKED = TRUE"))
				.as("row after Liquibase's command, before the handle closes")
				.isOne();
			handle.close();
			assertThat(count(statement, "SELECT COUNT(*) FROM DATABASECHANGELOGLOCK WHERE LOCKED = TRUE"))
				.as("row after the handle closed")
				.isZero();
		}
	}

	@Test
	void aSessionThatEndsWithoutClosingTheHandleLeavesTheRowLocked() throws Exception {
		LockHandle handle = acquire("a", java.time.Duration.ofSeconds(5));
		handle.session().close();
		try (Connection status = connect()) {
			assertThat(lockFor("b").holder(status)).as("the documented limitation of the row lock").isPresent();
		}
	}

	private Connection open() {
		try {
			return connect();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static int count(Statement statement, String sql) throws SQLException {
		try (ResultSet rows = statement.executeQuery(sql)) {
			rows.next();
			return rows.getInt(1);
		}
	}

	private static String hostName() {
		try {
			return NetUtil.getLocalHostName();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Database liquibaseDatabase(Connection connection) {
		try {
			return DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
		}
		catch (liquibase.exception.DatabaseException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
