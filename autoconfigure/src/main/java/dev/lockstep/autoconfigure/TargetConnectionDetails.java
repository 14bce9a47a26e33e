package dev.lockstep.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * The connection settings of a named target: its own url, user and password, each inheriting the top-level
 * {@code migrations.*} value where unset (the url only when the target has no DataSource bean of its own).
 */
record TargetConnectionDetails(@Nullable String jdbcUrl, @Nullable String username, @Nullable String password)
		implements MigrationsConnectionDetails {

	static TargetConnectionDetails of(MigrationsProperties properties, MigrationsProperties.Target target,
			boolean ownDataSource) {
		String url = StringUtils.hasText(target.getUrl()) ? target.getUrl()
				: (ownDataSource ? null : textOrNull(properties.getUrl()));
		String user = StringUtils.hasText(target.getUser()) ? target.getUser()
				: (ownDataSource ? null : textOrNull(properties.getUser()));
		String password = (target.getPassword() != null) ? target.getPassword()
				: (ownDataSource ? null : properties.getPassword());
		return new TargetConnectionDetails(url, user, password);
	}

	@Override
	public @Nullable String getJdbcUrl() {
		return this.jdbcUrl;
	}

	@Override
	public @Nullable String getUsername() {
		return this.username;
	}

	@Override
	public @Nullable String getPassword() {
		return this.password;
	}

	private static @Nullable String textOrNull(@Nullable String value) {
		return StringUtils.hasText(value) ? value : null;
	}

}
