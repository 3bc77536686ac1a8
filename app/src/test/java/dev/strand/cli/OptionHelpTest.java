package dev.strand.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** {@code OptionHelp.properties}: each command's wording of the options that mixins share. */
class OptionHelpTest {
    private static final ResourceBundle HELP = ResourceBundle.getBundle("dev.strand.cli.OptionHelp");
    private static final Map<String, CommandLine> COMMANDS = new CommandLine(new Main()).getSubcommands();

    /** The descriptionKeys the file words per command: "model" of strand.generate.model. */
    private static Set<String> sharedKeys() {
        Set<String> keys = new HashSet<>();
        for (String key : HELP.keySet()) keys.add(key.substring(key.lastIndexOf('.') + 1));
        return keys;
    }

    @Test
    void everyLineWordsAnOptionOfACommand() {
        for (String key : HELP.keySet()) {
            String[] parts = key.split("\\.");
            assertTrue(parts.length == 3 && parts[0].equals("strand"), key + ": expected strand.COMMAND.KEY");
            CommandLine command = COMMANDS.get(parts[1]);
            assertNotNull(command, key + ": no command " + parts[1]);
            assertTrue(command.getCommandSpec().options().stream().anyMatch(o -> parts[2].equals(o.descriptionKey())),
                    key + ": " + parts[1] + " has no option with descriptionKey " + parts[2]);
        }
    }

    @Test
    void everyCommandWordsTheSharedOptionsItHas() {
        Set<String> shared = sharedKeys();
        assertFalse(shared.isEmpty());
        for (Map.Entry<String, CommandLine> c : COMMANDS.entrySet()) {
            for (OptionSpec o : c.getValue().getCommandSpec().options()) {
                if (!shared.contains(o.descriptionKey())) continue;
                String key = "strand." + c.getKey() + "." + o.descriptionKey();
                assertTrue(HELP.containsKey(key), c.getKey() + " " + o.longestName() + " has no help line " + key + " in OptionHelp.properties");
                assertEquals(HELP.getString(key), String.join(" ", o.description()), key + " is what --help shows");
            }
        }
    }
}
