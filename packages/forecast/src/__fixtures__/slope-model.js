// A model plugin as a module file, for the model pool's tests: worker threads build it from
// here. `fail` makes a fit throw (a UserError, a divergence, or a plain error) to test how
// failures come back.
const { ContainerModule, UserError } = require('@backtest/core');
const { NetworkDivergedError } = require('@backtest/models');

const plugin = {
  id: 'slope',
  description: 'least squares through the origin on the first feature, plus 0.001 x fit',
  input: 'row',
  params: {
    fail: { type: 'integer', default: -1, description: 'the fit that fails (-1: none)' },
    how: { type: 'enum', values: ['user', 'diverge', 'crash'], default: 'user', description: 'how it fails' },
  },
  create(p, settings) {
    let slope = 0;
    return {
      async fit(x, y) {
        if (settings.fit === p.fail) {
          if (p.how === 'user') throw new UserError(`fit ${settings.fit} refused its data`);
          if (p.how === 'diverge')
            throw new NetworkDivergedError({ epoch: 2, monitor: 'training loss', value: NaN, optimizer: 'sgd', learningRate: 0.01, defaultLearningRate: true });
          throw new TypeError('something broke');
        }
        let sxy = 0;
        let sxx = 0;
        for (let r = 0; r < x.rows; r++) {
          sxy += x.data[r * x.cols] * y[r];
          sxx += x.data[r * x.cols] ** 2;
        }
        slope = sxy / sxx;
        return { history: { loss: [sxx, sxy, settings.seed] } };
      },
      predict: (x) => Float64Array.from({ length: x.rows }, (_, r) => slope * x.data[r * x.cols] + 0.001 * settings.fit),
      info: () => ({ trainer: `thread-independent` }),
      files: () => ({ 'slope.json': JSON.stringify({ slope }) }),
    };
  },
};

module.exports = {
  plugin,
  default: new ContainerModule(({ bind }) => {
    bind(Symbol.for('backtest.ModelPlugin')).toConstantValue(plugin);
  }),
};
