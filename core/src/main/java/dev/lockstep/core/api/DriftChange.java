package dev.lockstep.core.api;

import java.util.Locale;

/** How one schema object differs from what the migrations made. */
public enum DriftChange {

	/** In the live schema, not in what the migrations made. */
	ADDED,

	/** Made by the migrations, missing from the live schema. */
	REMOVED,

	/** In both, with another definition. */
	CHANGED;

	/** The name in JSON and on the command line: {@code added}, {@code removed}, {@code changed}. */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

}
