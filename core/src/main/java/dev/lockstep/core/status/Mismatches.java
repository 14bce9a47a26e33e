package dev.lockstep.core.status;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.api.AppliedChangeSet;
import dev.lockstep.core.problem.Wording.Setting;
import dev.lockstep.core.problem.Wording.Command;
import dev.lockstep.core.problem.Phrase;
import dev.lockstep.core.api.ChangeSetRef;
import dev.lockstep.core.api.MigrationStatus;
import dev.lockstep.core.api.PendingChangeSet;
import dev.lockstep.core.problem.SchemaMismatchException;

/**
 * Describes where the schema stands against the changelog, for the log and for refusals.
 */
public final class Mismatches {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	private static final String DRIFT_ACTION = "Changesets must not be edited after they ran: restore them and put "
			+ "the change in a new changeset. If the edit is intended and harmless, add <validCheckSum> with the new "
			+ "checksum to each changeset listed.";

	private Mismatches() {
	}

	/** Refuses changesets edited after they ran: applying does not help against them. */
	public static void requireNoDrift(MigrationStatus status) {
		if (!status.checksumMismatches().isEmpty()) {
			throw new SchemaMismatchException(describe(status), DRIFT_ACTION, status);
		}
	}

	public static void logUpToDate(MigrationStatus status) {
		String ahead = status.unexpected().isEmpty() ? ""
				: "; the database also has " + status.unexpected().size()
						+ " changeset(s) this changelog does not declare (state AHEAD)";
		logger.info("Schema is up to date at {}{}", describePosition(status), ahead);
	}

	public static String describePosition(MigrationStatus status) {
		AppliedChangeSet current = status.current();
		if (current == null) {
			return "an empty history";
		}
		return current.id() + "::" + current.author() + " (" + current.changeLog() + ")"
				+ ((status.currentTag() != null) ? ", tag " + status.currentTag() : "") + ", " + status.appliedCount()
				+ " changeset(s) applied";
	}

	/**
	 * What to do about each kind of mismatch found: applying does not help against edited changesets (apply refuses
	 * them too) nor against changesets only a newer version declares.
	 */
	public static Phrase action(MigrationStatus status) {
		return (wording) -> {
			List<String> actions = new ArrayList<>();
			if (!status.pending().isEmpty()) {
				actions.add("Apply the changelog before this version starts: run '"
						+ wording.command(Command.UPDATE, "", true) + "' (or start one instance with "
						+ wording.setting(Setting.MODE) + "=apply).");
			}
			if (!status.unexpected().isEmpty()) {
				actions.add("For changesets the database has but this changelog lacks, deploy the version that "
						+ "declares them, or roll them back with it ('" + wording.command(Command.ROLLBACK, "", true)
						+ "').");
			}
			if (!status.checksumMismatches().isEmpty()) {
				actions.add(DRIFT_ACTION);
			}
			return String.join(" ", actions);
		};
	}

	public static String describe(MigrationStatus status) {
		StringBuilder text = new StringBuilder("The schema does not match the changelog (state ")
			.append(status.state())
			.append(").");
		appendList(text, "Pending (not applied yet)", status.pending().stream().map(PendingChangeSet::ref).toList());
		appendList(text, "Unexpected (applied, but not in this changelog)",
				status.unexpected().stream().map(AppliedChangeSet::ref).toList());
		if (!status.checksumMismatches().isEmpty()) {
			text.append("\nModified after they ran (checksum differs):");
			status.checksumMismatches()
				.forEach((mismatch) -> text.append("\n  - ")
					.append(mismatch.ref())
					.append(": stored ")
					.append(mismatch.storedChecksum())
					.append(", now ")
					.append(mismatch.currentChecksum()));
		}
		return text.toString();
	}

	private static void appendList(StringBuilder text, String title, List<ChangeSetRef> changeSets) {
		if (changeSets.isEmpty()) {
			return;
		}
		text.append('\n').append(title).append(": ").append(changeSets.size());
		int shown = Math.min(changeSets.size(), 20);
		text.append(changeSets.subList(0, shown)
			.stream()
			.map((ref) -> "\n  - " + ref)
			.collect(Collectors.joining()));
		if (shown < changeSets.size()) {
			text.append("\n  - ... and ").append(changeSets.size() - shown).append(" more");
		}
	}

}
