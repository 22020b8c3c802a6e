// Prettier: the house style of this repository, written down (wide lines, single quotes).
export default {
  printWidth: 140,
  singleQuote: true,
  trailingComma: 'all',
};
