import java.util.List;
import java.util.SplittableRandom;
import org.weightnorm4j.nn.ActivationLayer;
import org.weightnorm4j.nn.Conv2d;
import org.weightnorm4j.nn.Dense;
import org.weightnorm4j.nn.Flatten;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.ModelState;
import org.weightnorm4j.nn.ModelTree;
import org.weightnorm4j.nn.Residual;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.norm.DataDependentInit;
import org.weightnorm4j.norm.WeightNorm;
import org.weightnorm4j.optim.Adam;
import org.weightnorm4j.tensor.ConvSpec;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.train.Objective;
import org.weightnorm4j.train.TrainStep;

/**
 * A program outside the project, compiled only against the shaded jar by ExternalProgramIT: a
 * custom convolutional model with a residual block, weight norm applied, data-dependent init, a few
 * steps of the public TrainStep, a target copy, then remove. Prints "OK ..." on success.
 */
public class ExternalTrainStep {
    public static void main(String[] args) {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 64;
        Tensor x = Tensor.zeros(n, 1, 6, 6);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int j = 0; j < 36; j++) {                 // class 1 is brighter on the left half
                x.set(i * 36 + j, rng.nextGaussian() * 0.5 + (labels[i] == 1 && j % 6 < 3 ? 1 : 0));
            }
        }
        Sequential model = WeightNorm.apply(new Sequential(List.of(
                new Conv2d(1, 4, 3, new ConvSpec(1, 1), rng), ActivationLayer.relu(),
                new Residual(new Sequential(List.of(new Conv2d(4, 4, 3, new ConvSpec(1, 1), rng), ActivationLayer.relu()))),
                new Flatten(), new Dense(144, 2, rng))));
        DataDependentInit.apply(model, x, DataDependentInit.Options.paper(1));
        TrainStep<int[]> step = new TrainStep<>(model, new Adam(ModelTree.namedParams(model), 3e-3), Objective.softmaxCrossEntropy(), null);
        double first = step.run(x, labels, 1, 1, null);
        double last = first;
        for (int s = 2; s <= 30; s++) {
            last = step.run(x, labels, s, 1, null);
        }
        if (!(last < first)) {
            throw new AssertionError("the loss did not fall: " + first + " -> " + last);
        }
        Sequential target = WeightNorm.apply(new Sequential(List.of(
                new Conv2d(1, 4, 3, new ConvSpec(1, 1), rng), ActivationLayer.relu(),
                new Residual(new Sequential(List.of(new Conv2d(4, 4, 3, new ConvSpec(1, 1), rng), ActivationLayer.relu()))),
                new Flatten(), new Dense(144, 2, rng))));
        ModelState.copy(model, target);                     // a target network, weight norm and all
        Tensor y = model.forward(x, Mode.EVAL).copy();
        Tensor yTarget = target.forward(x, Mode.EVAL).copy();
        Tensor yPlain = WeightNorm.remove(model).forward(x, Mode.EVAL);
        double maxDiff = 0;
        for (int i = 0; i < y.size(); i++) {
            if (y.get(i) != yTarget.get(i)) {
                throw new AssertionError("the copy computes another function at " + i);
            }
            maxDiff = Math.max(maxDiff, Math.abs(y.get(i) - yPlain.get(i)));
        }
        if (maxDiff > 1e-4) {
            throw new AssertionError("remove changed the output by " + maxDiff);
        }
        System.out.printf("OK loss %.4f -> %.4f, remove changed the output by %.2e%n", first, last, maxDiff);
    }
}
