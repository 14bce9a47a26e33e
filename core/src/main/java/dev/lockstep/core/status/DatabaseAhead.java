package dev.lockstep.core.status;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.AppliedChangeSet;
import dev.lockstep.core.api.ChangeSetRef;
import dev.lockstep.core.api.HistoryReport;
import dev.lockstep.core.api.MigrationStatus;
import dev.lockstep.core.problem.Phrase;
import dev.lockstep.core.problem.Wording;

/**
 * The changesets a database holds that this changelog does not declare, and where they sit in the history.
 * <p>
 * When all of them were applied after every changeset this changelog declares, the database is merely ahead: a
 * newer version of the application applied them (during a rollout, or before an application rollback). When one
 * sits between declared changesets, it is no newer version's work (a changeset deleted from this changelog, or
 * applied by hand), and nothing vouches for the schema. The position is the history's order (ORDEREXECUTED, then
 * DATEEXECUTED). Rows re-run by {@code runAlways}/{@code runOnChange} ({@code RERAN}) are not positions of the
 * changesets this changelog declares: a newer version re-runs them after its own changesets.
 *
 * @param unexpected applied changesets this changelog does not declare, in history order
 * @param trailing whether every one of them was applied after the last declared changeset
 */
public record DatabaseAhead(List<AppliedChangeSet> unexpected, boolean trailing) {

	private static final String RERAN = "RERAN";

	public DatabaseAhead {
		unexpected = List.copyOf(unexpected);
	}

	/**
	 * Where the unexpected changesets sit in the given history.
	 * @param history applied changesets, as read
	 * @param unexpected those of them the changelog does not declare
	 */
	public static DatabaseAhead of(List<AppliedChangeSet> history, List<AppliedChangeSet> unexpected) {
		if (unexpected.isEmpty()) {
			return new DatabaseAhead(List.of(), true);
		}
		// By identity (file, id, author): the rows may have been read twice, with their times read differently.
		Set<String> unknown = new HashSet<>();
		unexpected.forEach((row) -> unknown.add(key(row)));
		List<AppliedChangeSet> ordered = new ArrayList<>(history);
		// A stable sort: rows with the same ORDEREXECUTED keep the order they were read in (by DATEEXECUTED).
		ordered.sort(Comparator.comparingInt(AppliedChangeSet::orderExecuted));
		int lastKnown = -1;
		int firstUnknown = Integer.MAX_VALUE;
		for (int i = 0; i < ordered.size(); i++) {
			AppliedChangeSet row = ordered.get(i);
			if (unknown.contains(key(row))) {
				firstUnknown = Math.min(firstUnknown, i);
			}
			else if (!RERAN.equals(row.execType())) {
				lastKnown = i;
			}
		}
		return new DatabaseAhead(unexpected, firstUnknown > lastKnown);
	}

	private static String key(AppliedChangeSet row) {
		return ChangeSetRef.key(row.changeLog(), row.id(), row.author());
	}

	/** Reads it from a status read. */
	public static DatabaseAhead of(HistoryReport report) {
		return of(report.history(), report.status().unexpected());
	}

	/**
	 * Whether a {@code validate} start may go on: the only difference is changesets applied after everything this
	 * changelog declares (nothing pending, no checksum differs) and that is allowed.
	 */
	public boolean allowsStart(MigrationStatus status, boolean allowAhead) {
		return allowAhead && this.trailing && !this.unexpected.isEmpty() && status.pending().isEmpty()
				&& status.checksumMismatches().isEmpty();
	}

	/** The warning a {@code validate} start that goes on logs, naming the changesets. */
	public String warning(Wording wording) {
		return "The database is ahead of this changelog: " + this.unexpected.size()
				+ " changeset(s) were applied after everything it declares (by a newer version of the application, "
				+ "during a rollout or before an application rollback). Starting anyway "
				+ "(" + wording.setting(Wording.Setting.ALLOW_AHEAD) + "=true):" + list();
	}

	/**
	 * Why the unexpected changesets refuse a {@code validate} start, added to the mismatch description, or
	 * {@code null} when they do not.
	 */
	public @Nullable Phrase refusal(boolean allowAhead) {
		if (this.unexpected.isEmpty()) {
			return null;
		}
		if (!this.trailing) {
			return Phrase.of("Unexpected changesets sit between changesets this changelog declares (not after all "
					+ "of them): no newer version applied them, so this version cannot vouch for the schema.");
		}
		if (!allowAhead) {
			return (wording) -> wording.setting(Wording.Setting.ALLOW_AHEAD)
					+ "=false: a database ahead of this changelog refuses to start.";
		}
		return null;
	}

	private String list() {
		int shown = Math.min(this.unexpected.size(), 20);
		String more = (shown < this.unexpected.size())
				? "\n  - ... and " + (this.unexpected.size() - shown) + " more" : "";
		return this.unexpected.subList(0, shown).stream().map((row) -> "\n  - " + row.ref())
			.collect(Collectors.joining()) + more;
	}

}
