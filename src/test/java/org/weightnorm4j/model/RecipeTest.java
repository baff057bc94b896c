package org.weightnorm4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.norm.Parameterization;

class RecipeTest {

    /** The values every command trained with before the recipes were gathered here (bit-identical runs need them). */
    @Test
    void theRecipesKeepTheirValues() {
        Recipe mlp = Recipe.of("mlp"), cnn = Recipe.of("cnn"), paper = Recipe.of("paper-cifar"), file = Recipe.of(Recipe.CUSTOM);
        assertEquals(128, mlp.batchSize());
        assertEquals(100, cnn.batchSize());
        assertEquals(100, paper.batchSize());
        assertEquals(128, file.batchSize());
        assertEquals(1e-3, mlp.lr(false, Parameterization.NORMAL));
        assertEquals(3e-3, cnn.lr(false, Parameterization.NORMAL));
        assertEquals(3e-3, paper.lr(false, Parameterization.WN));
        assertEquals(3e-4, paper.lr(false, Parameterization.NORMAL));
        assertEquals(3e-3, paper.lr(false, null));
        assertEquals(0.01, paper.lr(true, Parameterization.NORMAL));
        assertEquals(200, paper.epochs());
        assertEquals(10, mlp.epochs());
        assertEquals(0.5, paper.beta1Late());
        assertEquals(0.9, cnn.beta1Late());
        assertEquals(500, paper.initBatch(100));
        assertEquals(64, mlp.initBatch(64));
        assertEquals("cifar10", paper.dataset(null));
        assertEquals("mnist", paper.dataset("MNIST"));
        assertEquals("zca", paper.preprocessing("fashion-mnist"));
        assertEquals("normalize", cnn.preprocessing("cifar10"));
        assertEquals("none", file.preprocessing("fashion-mnist"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Recipe.of("resnet"));
        assertTrue(e.getMessage().contains("mlp, cnn, paper-cifar"), e.getMessage());
    }

    @Test
    void everyPresetHasARecipe() {
        for (String name : Models.NAMES) {
            assertEquals(name, Recipe.of(name).model());
        }
    }

    /** docs/TRAINING.md's table is the recipes' table, so the docs cannot drift from what the commands do. */
    @Test
    void trainingDocsTableIsTheRecipes() throws Exception {
        String docs = Files.readString(Path.of("docs/TRAINING.md"));
        String table = Recipe.markdownTable();
        assertTrue(docs.contains(table), "docs/TRAINING.md's 'Defaults per model' table differs from Recipe.markdownTable():\n"
                + table);
    }
}
