/**
 * Reinforcement learning: the five MinAtar games (Young and Tian 2019) in pure Java, for the
 * paper's DQN experiment (section 5.4).
 *
 * <p>{@link org.weightnorm4j.rl.MinAtar#create} makes a game by MinAtar's name;
 * {@link org.weightnorm4j.rl.Environment} is the interface: {@code reset}, {@code step(action)}
 * returning the reward, {@code terminal}, the observation as {@code [C, 10, 10]} binary channels
 * in MinAtar's channel order, and exact save/restore. Every random event of an environment, sticky
 * actions included, comes from one seeded {@link org.weightnorm4j.rl.SplitMix64}, so an episode is
 * reproducible from the seed; stepping allocates nothing. The rules follow MinAtar 1.0.15; see
 * docs/RL.md for what was checked and what cannot match (the random stream itself).
 * {@link org.weightnorm4j.rl.Policy} is what {@code weightnorm play} drives.
 */
package org.weightnorm4j.rl;
