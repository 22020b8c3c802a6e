// Prettier: the house style of this repository, written down (wide lines, single quotes). `npm test` checks it;
// `npm run format` applies it.
export default { printWidth: 160, singleQuote: true, trailingComma: 'all', objectWrap: 'collapse' };
