package dev.lockstep.core.status;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.ddl.InvalidIndexes;

/**
 * The INVALID indexes a status shows: those of the schema the migrations work in, on
 * PostgreSQL; none elsewhere or when the catalog cannot be read (the status is still worth showing).
 */
public final class InvalidIndexList {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	private InvalidIndexList() {
	}

	public static List<String> read(Connection connection, @Nullable String schema) {
		try {
			if (schema == null || !"PostgreSQL".equals(connection.getMetaData().getDatabaseProductName())) {
				return List.of();
			}
			return InvalidIndexes.in(connection, schema);
		}
		catch (SQLException | RuntimeException ex) {
			logger.debug("Could not read the INVALID indexes: {}", ex.getMessage());
			return List.of();
		}
	}

}
