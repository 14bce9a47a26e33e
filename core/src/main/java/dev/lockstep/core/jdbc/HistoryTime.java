package dev.lockstep.core.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.Date;
import java.util.Locale;
import java.util.TimeZone;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one convention for the times in Liquibase's history. DATEEXECUTED is a timestamp without a time zone that
 * Liquibase fills with the database's {@code NOW()}, that is in the writing session's time zone (which the JDBC
 * driver takes from the writing JVM's default zone). Lockstep's sessions therefore use UTC, so the rows its runs
 * write hold UTC, and every stored time is read back as UTC: the same instant whatever the reading JVM's zone.
 * <p>
 * Rows written by other tools (a Liquibase CLI, an older Lockstep) in a session whose zone was not UTC are read
 * as UTC too, and so appear shifted by that zone's offset.
 */
public final class HistoryTime {

	private static final Logger logger = LoggerFactory.getLogger(HistoryTime.class);

	private HistoryTime() {
	}

	/** A stored wall-clock time (as written by a Lockstep session): an instant in UTC. */
	public static Instant fromStored(LocalDateTime stored) {
		return (stored != null) ? stored.toInstant(ZoneOffset.UTC) : null;
	}

	/**
	 * A stored time as a JDBC driver returned it ({@code getTimestamp} without a calendar builds it from the stored
	 * wall-clock time in this JVM's default zone): that wall-clock time, read as UTC.
	 */
	public static @Nullable Instant fromDriver(@Nullable Date driverValue) {
		if (driverValue == null) {
			return null;
		}
		LocalDateTime wallClock = (driverValue instanceof java.sql.Timestamp timestamp) ? timestamp.toLocalDateTime()
				: LocalDateTime.ofInstant(driverValue.toInstant(), ZoneId.systemDefault());
		return fromStored(wallClock);
	}

	/**
	 * Switches a session of Lockstep's own to UTC, so that the history rows it writes (DATEEXECUTED, and
	 * Liquibase's LOCKGRANTED) hold UTC. Changesets run in that session too: one that needs another zone sets it
	 * itself ({@code SET LOCAL TIME ZONE}).
	 */
	static void useUtc(Connection connection) {
		String statement;
		try {
			String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
			if (product.contains("postgres") || product.equals("h2")) {
				statement = "SET TIME ZONE 'UTC'";
			}
			else if (product.contains("mysql") || product.contains("mariadb")) {
				statement = "SET time_zone = '+00:00'";
			}
			else {
				return;
			}
		}
		catch (SQLException ex) {
			return;
		}
		try (Statement set = connection.createStatement()) {
			set.execute(statement);
		}
		catch (SQLException ex) {
			logger.debug("Could not switch the session to UTC ({}); history times follow the JVM's zone",
					ex.getMessage());
		}
	}

	/** A calendar in UTC, for JDBC timestamps Lockstep writes and reads in its own tables. */
	public static Calendar utcCalendar() {
		return Calendar.getInstance(TimeZone.getTimeZone("UTC"));
	}

}
