package dev.lockstep.endpoint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

import dev.lockstep.core.api.AppliedChangeSet;

/**
 * The document served at {@code /actuator/migrations/history}: applied changesets, newest first.
 *
 * @param appliedCount rows in the history
 * @param changeSets the rows, newest first
 */
public record HistoryDescriptor(int appliedCount, List<AppliedChangeSet> changeSets) implements OperationResponseBody {

	static HistoryDescriptor of(List<AppliedChangeSet> oldestFirst) {
		List<AppliedChangeSet> newestFirst = new ArrayList<>(oldestFirst);
		Collections.reverse(newestFirst);
		return new HistoryDescriptor(newestFirst.size(), newestFirst);
	}

}
