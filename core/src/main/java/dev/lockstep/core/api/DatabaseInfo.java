package dev.lockstep.core.api;

/**
 * What the status was read from. The URL never carries credentials or query parameters.
 *
 * @param product database product name
 * @param version database product version
 * @param url JDBC URL without credentials or parameters
 * @param schema schema of the migrated objects
 */
public record DatabaseInfo(String product, String version, String url, String schema) {
}
