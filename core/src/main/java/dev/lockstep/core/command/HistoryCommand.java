package dev.lockstep.core.command;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

import dev.lockstep.core.api.AppliedChangeSet;
import dev.lockstep.core.api.HistoryReport;

/**
 * {@code history}: the applied changesets, newest first. Changes nothing and takes no lock.
 */
public final class HistoryCommand {

	private final Supplier<HistoryReport> inspection;

	public HistoryCommand(Supplier<HistoryReport> inspection) {
		this.inspection = inspection;
	}

	public List<AppliedChangeSet> history() {
		List<AppliedChangeSet> history = new ArrayList<>(this.inspection.get().history());
		Collections.reverse(history);
		return history;
	}

}
