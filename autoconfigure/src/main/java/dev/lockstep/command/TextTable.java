package dev.lockstep.command;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * An aligned plain-text table for people reading a terminal.
 */
final class TextTable {

	private final List<String> headers;

	private final List<List<String>> rows = new ArrayList<>();

	TextTable(String... headers) {
		this.headers = List.of(headers);
	}

	TextTable row(@Nullable Object... cells) {
		List<String> row = new ArrayList<>();
		for (Object cell : cells) {
			row.add((cell != null) ? cell.toString() : "");
		}
		this.rows.add(row);
		return this;
	}

	String render() {
		int[] widths = new int[this.headers.size()];
		for (int i = 0; i < widths.length; i++) {
			widths[i] = this.headers.get(i).length();
			for (List<String> row : this.rows) {
				widths[i] = Math.max(widths[i], row.get(i).length());
			}
		}
		StringBuilder text = new StringBuilder();
		line(text, this.headers, widths);
		for (List<String> row : this.rows) {
			line(text, row, widths);
		}
		return text.toString();
	}

	private static void line(StringBuilder text, List<String> cells, int[] widths) {
		StringBuilder line = new StringBuilder("  ");
		for (int i = 0; i < cells.size(); i++) {
			line.append(cells.get(i));
			if (i < cells.size() - 1) {
				line.append(" ".repeat(widths[i] - cells.get(i).length() + 2));
			}
		}
		text.append(line.toString().stripTrailing()).append('\n');
	}

}
