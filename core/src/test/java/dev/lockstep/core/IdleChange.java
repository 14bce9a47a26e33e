package dev.lockstep.core;

import liquibase.change.custom.CustomTaskChange;
import liquibase.database.Database;
import liquibase.exception.ValidationErrors;
import liquibase.resource.ResourceAccessor;

/**
 * A Java changeset that does nothing for a while (2.5 s unless told otherwise), leaving the run's session idle (or idle in a transaction, after
 * a statement of the same changeset), as real Java changesets do while they compute.
 */
public class IdleChange implements CustomTaskChange {

	private long millis = 2500;

	public void setMillis(String millis) {
		this.millis = Long.parseLong(millis);
	}

	@Override
	public void execute(Database database) {
		try {
			Thread.sleep(this.millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public String getConfirmationMessage() {
		return "idled " + this.millis + " ms";
	}

	@Override
	public void setUp() {
	}

	@Override
	public void setFileOpener(ResourceAccessor resourceAccessor) {
	}

	@Override
	public ValidationErrors validate(Database database) {
		return new ValidationErrors();
	}

}
